import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { createBrowserRouter, Navigate, Outlet, useNavigate, useRouteError } from 'react-router';
import { onSessionExpired } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Button } from '../ui/button';
import { ErrorPanel, Loading } from '../ui/states';
import { basePath, signInPath } from './paths';
import { type Product, products, visibleProducts } from './products';
import { RequireSession, useMe } from './session';

const SignInPage = lazy(() => import('../pages/sign-in/sign-in.page'));
const SetupPage = lazy(() => import('../pages/setup/setup.page'));
// A review link's page works without a session (the token is the credential) and stays out of the shell.
const ReviewLinkPage = lazy(() => import('../products/commits/review/review-link.page'));
const AppShell = lazy(() => import('./shell/app-shell'));
const NotFoundPage = lazy(() => import('../pages/not-found.page'));

/** The router: public pages, then everything behind a session inside the shell, one route per product. */
export function createRouter(queryClient: QueryClient) {
  return createBrowserRouter(
    [
      {
        element: <Root queryClient={queryClient} />,
        errorElement: <RouteError />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'setup', element: <SetupPage /> },
          { path: 'commits/review/:token', element: <ReviewLinkPage /> },
          {
            element: <RequireSession />,
            children: [
              {
                element: <AppShell />,
                children: [
                  { index: true, element: <Home /> },
                  ...products.map((product) => ({
                    path: `${product.path.slice(1)}/*`,
                    element: <ProductRoute product={product} />,
                  })),
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
    { basename: basePath },
  );
}

function Root({ queryClient }: { queryClient: QueryClient }) {
  const navigate = useNavigate();
  useEffect(() => {
    onSessionExpired(() => {
      const here = window.location.pathname.slice(basePath.length) + window.location.search;
      // Public pages stay put: a review link page asks the session API only to follow a push.
      if (here.startsWith('/sign-in') || here.startsWith('/setup') || here.startsWith('/commits/review/'))
        return;
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      void navigate(signInPath(here), { replace: true });
    });
  }, [navigate, queryClient]);
  return (
    <Suspense fallback={<Loading className="min-h-screen" />}>
      <Outlet />
    </Suspense>
  );
}

function Home() {
  const me = useMe();
  const first = visibleProducts(me)[0];
  return <Navigate to={first ? first.path : '/account'} replace />;
}

function ProductRoute({ product }: { product: Product }) {
  const me = useMe();
  if (!product.visible(me)) return <NotFoundPage />;
  const Component = product.component;
  return <Component />;
}

/** A render error or a chunk that failed to load (a new version was deployed): offer a reload. */
function RouteError() {
  const error = useRouteError();
  const { t } = useI18n();
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4 p-6">
      <ErrorPanel error={error} />
      <div className="flex justify-center">
        <Button variant="primary" onClick={() => window.location.reload()}>
          {t('errors.reload')}
        </Button>
      </div>
    </div>
  );
}
