import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { createQueryClient } from '../api/query';
import { I18nProvider } from '../i18n/i18n';
import { ThemeProvider } from '../theme/theme';
import { ToastProvider } from '../ui/toast';
import { createRouter } from './router';

const queryClient = createQueryClient();
const router = createRouter(queryClient);

export function App() {
  return (
    <ThemeProvider>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <ToastProvider>
            <RouterProvider router={router} />
          </ToastProvider>
        </QueryClientProvider>
      </I18nProvider>
    </ThemeProvider>
  );
}
