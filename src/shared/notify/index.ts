export type { ChannelKind, RenderedMessage } from './channels/channel.types.js';
export type { Priority } from './delivery/delivery.types.js';
export type { LinkSubject, SignedLinks } from './links/signed-links.js';
export { type Notify, type NotifyOptions, notifyServices } from './notify.context.js';
export { createNotifyModule, notifyActions, notifyModule } from './notify.module.js';
export type { Recipient, SendInput, SendResult } from './send/send.service.js';
