import { FileText, Search } from 'lucide-react';
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { type NavItem, ProductLayout } from '../../app/shell/product-layout';
import NotFoundPage from '../../pages/not-found.page';

const LibraryPage = lazy(() => import('./library.page'));
const SearchPage = lazy(() => import('./search.page'));

const nav: NavItem[] = [
  { to: '/documents/library', label: 'documents.nav.library', icon: FileText },
  { to: '/documents/search', label: 'documents.nav.search', icon: Search },
];

/** Documents: knowledge bases, uploads with live processing status, and search. */
export default function DocumentsProduct() {
  return (
    <ProductLayout title="products.documents" items={nav}>
      <Routes>
        <Route index element={<Navigate to="/documents/library" replace />} />
        <Route path="library" element={<LibraryPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </ProductLayout>
  );
}
