import type { Database } from '../../../kernel/db/index.js';
import type { ChannelAdapter } from '../channels/channel.types.js';
import type { DeliveryWork } from '../delivery/delivery.types.js';
import { insertInboxItem } from './inbox.repository.js';

/** In-app: the message lands in the user's inbox table, which the web app reads. */
export function createInAppChannel(db: Database): { adapterFor(work: DeliveryWork): ChannelAdapter } {
  return {
    adapterFor(work) {
      return {
        kind: 'inapp',
        async deliver({ destination, message }) {
          await insertInboxItem(db, {
            userId: destination,
            notificationId: work.notificationId,
            type: work.type,
            title: message.subject,
            body: message.text,
            url: message.url ?? null,
          });
          return { status: 'delivered' };
        },
      };
    },
  };
}
