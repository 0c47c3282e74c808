import { Bell, KeyRound, MonitorSmartphone, UserRound } from 'lucide-react';
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { type NavItem, ProductLayout } from '../../app/shell/product-layout';
import NotFoundPage from '../../pages/not-found.page';

const ProfilePage = lazy(() => import('./profile.page'));
const SessionsPage = lazy(() => import('./sessions.page'));
const ApiKeysPage = lazy(() => import('./api-keys.page'));
const NotificationsPage = lazy(() => import('./notifications.page'));

const nav: NavItem[] = [
  { to: '/account/profile', label: 'account.nav.profile', icon: UserRound },
  { to: '/account/sessions', label: 'account.nav.sessions', icon: MonitorSmartphone },
  { to: '/account/api-keys', label: 'account.nav.apiKeys', icon: KeyRound },
  { to: '/account/notifications', label: 'account.nav.notifications', icon: Bell },
];

/** Account: your profile and settings, signed-in devices, API keys and notification preferences. */
export default function AccountProduct() {
  return (
    <ProductLayout title="products.account" items={nav}>
      <Routes>
        <Route index element={<Navigate to="/account/profile" replace />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="sessions" element={<SessionsPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </ProductLayout>
  );
}
