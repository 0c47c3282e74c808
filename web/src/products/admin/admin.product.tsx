import { Activity, BarChart3, BellRing, Bot, CreditCard, Megaphone, ScrollText, Users } from 'lucide-react';
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { type NavItem, ProductLayout } from '../../app/shell/product-layout';
import NotFoundPage from '../../pages/not-found.page';

const UsersPage = lazy(() => import('./users/users.page'));
const PlansPage = lazy(() => import('./plans.page'));
const LlmPage = lazy(() => import('./llm/llm.page'));
const UsagePage = lazy(() => import('./usage.page'));
const AuditPage = lazy(() => import('./audit.page'));
const JobsPage = lazy(() => import('./jobs.page'));
const NoticesPage = lazy(() => import('./notices.page'));
const DeliveryPage = lazy(() => import('./delivery.page'));

const nav: NavItem[] = [
  { to: '/admin/users', label: 'admin.nav.users', icon: Users },
  { to: '/admin/plans', label: 'admin.nav.plans', icon: CreditCard },
  { to: '/admin/llm', label: 'admin.nav.llm', icon: Bot },
  { to: '/admin/usage', label: 'admin.nav.usage', icon: BarChart3 },
  { to: '/admin/audit', label: 'admin.nav.audit', icon: ScrollText },
  { to: '/admin/jobs', label: 'admin.nav.jobs', icon: Activity },
  { to: '/admin/notices', label: 'admin.nav.notices', icon: Megaphone },
  { to: '/admin/notifications', label: 'admin.nav.notifications', icon: BellRing },
];

/** Admin: the platform's users, plans, models, usage, audit log, jobs, notices and notifications. */
export default function AdminProduct() {
  return (
    <ProductLayout title="products.admin" items={nav}>
      <Routes>
        <Route index element={<Navigate to="/admin/users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="plans" element={<PlansPage />} />
        <Route path="llm" element={<LlmPage />} />
        <Route path="usage" element={<UsagePage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="notices" element={<NoticesPage />} />
        <Route path="notifications" element={<DeliveryPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </ProductLayout>
  );
}
