import { ChevronsUpDown } from 'lucide-react';
import { Link, useLocation } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { cx } from '../../ui/cx';
import { Popover } from '../../ui/popover';
import { productAt, visibleProducts } from '../products';
import { useMe } from '../session';

/** The products this user has (data-driven: see products.ts); the current one is named on the button. */
export function ProductSwitcher() {
  const me = useMe();
  const { t } = useI18n();
  const location = useLocation();
  const available = visibleProducts(me);
  const current = productAt(location.pathname);
  const CurrentIcon = current?.icon;
  return (
    <Popover
      label={t('shell.products')}
      align="start"
      className="p-1.5 sm:w-72"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label={t('shell.switchProduct', { product: current ? t(current.label) : '' })}
          className="flex h-9 items-center gap-2 rounded-md px-2 text-sm font-medium hover:bg-surface-2"
        >
          {CurrentIcon && <CurrentIcon aria-hidden className="size-4 text-muted" />}
          <span className="max-w-[9rem] truncate">{current ? t(current.label) : t('shell.products')}</span>
          <ChevronsUpDown aria-hidden className="size-4 text-muted" />
        </button>
      )}
    >
      {(close) => (
        <nav aria-label={t('shell.products')}>
          <ul className="flex flex-col gap-0.5">
            {available.map((product) => {
              const Icon = product.icon;
              const active = product.id === current?.id;
              return (
                <li key={product.id}>
                  <Link
                    to={product.path}
                    onClick={close}
                    aria-current={active ? 'page' : undefined}
                    className={cx(
                      'flex items-start gap-3 rounded-md px-2.5 py-2 hover:bg-surface-2',
                      active && 'bg-accent-soft',
                    )}
                  >
                    <Icon
                      aria-hidden
                      className={cx('mt-0.5 size-5', active ? 'text-accent' : 'text-muted')}
                    />
                    <span className="flex flex-col">
                      <span className="text-sm font-medium">{t(product.label)}</span>
                      <span className="text-xs text-muted">{t(product.description)}</span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
    </Popover>
  );
}
