import { FolderGit2, GitCommitHorizontal } from 'lucide-react';
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { type NavItem, ProductLayout } from '../../app/shell/product-layout';
import NotFoundPage from '../../pages/not-found.page';

const RequestsPage = lazy(() => import('./requests.page'));
const RepositoriesPage = lazy(() => import('./repositories.page'));
const RequestReviewPage = lazy(() => import('./review/request-review.page'));

const nav: NavItem[] = [
  { to: '/commits/requests', label: 'commits.nav.requests', icon: GitCommitHorizontal },
  { to: '/commits/repositories', label: 'commits.nav.repositories', icon: FolderGit2 },
];

/**
 * Commits: drafted commit messages to review, and the repositories they come from. The review
 * page through a link (`/commits/review/:token`, no session) is routed outside the shell, in
 * app/router.tsx.
 */
export default function CommitsProduct() {
  return (
    <ProductLayout title="products.commits" items={nav}>
      <Routes>
        <Route index element={<Navigate to="/commits/requests" replace />} />
        <Route path="requests" element={<RequestsPage />} />
        <Route path="requests/:id" element={<RequestReviewPage />} />
        <Route path="repositories" element={<RepositoriesPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </ProductLayout>
  );
}
