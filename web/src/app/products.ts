import { FileText, GitCommitHorizontal, type LucideIcon, ShieldCheck, UserRound } from 'lucide-react';
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { Me } from '../api/types';
import type { MessageKey } from '../i18n/i18n';

export interface Product {
  id: string;
  /** Its path under /app/ (its own routes live below it). */
  path: string;
  label: MessageKey;
  description: MessageKey;
  icon: LucideIcon;
  /** Whether this user gets the product at all (hidden otherwise, never an empty page). */
  visible(me: Me): boolean;
  /** The product's root, loaded when first opened (one chunk per product). */
  component: LazyExoticComponent<ComponentType>;
}

/**
 * The products of this build, in switcher order. A product that is not built is not listed:
 * adding one (Documents, Commits, ...) is one entry here and its folder under src/products/.
 */
export const products: readonly Product[] = [
  {
    id: 'admin',
    path: '/admin',
    label: 'products.admin',
    description: 'products.adminDescription',
    icon: ShieldCheck,
    visible: (me) => me.roles.includes('admin'),
    component: lazy(() => import('../products/admin/admin.product')),
  },
  {
    id: 'documents',
    path: '/documents',
    label: 'products.documents',
    description: 'products.documentsDescription',
    icon: FileText,
    visible: () => true,
    component: lazy(() => import('../products/documents/documents.product')),
  },
  {
    id: 'commits',
    path: '/commits',
    label: 'products.commits',
    description: 'products.commitsDescription',
    icon: GitCommitHorizontal,
    // Every signed-in user: repository access (team levels) is decided by the API.
    visible: () => true,
    component: lazy(() => import('../products/commits/commits.product')),
  },
  {
    id: 'account',
    path: '/account',
    label: 'products.account',
    description: 'products.accountDescription',
    icon: UserRound,
    visible: () => true,
    component: lazy(() => import('../products/account/account.product')),
  },
];

export function visibleProducts(me: Me): Product[] {
  return products.filter((p) => p.visible(me));
}

export function productAt(pathname: string): Product | undefined {
  return products.find((p) => pathname === p.path || pathname.startsWith(`${p.path}/`));
}
