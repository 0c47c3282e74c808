// Runs before the first paint so a dark-mode user never sees a white flash. It is a file, not an
// inline script, because Keel's Content-Security-Policy allows scripts from 'self' only.
// Only preferences live in localStorage (theme, language) — never a token.
(() => {
  try {
    const theme = localStorage.getItem('keel.theme');
    const systemDark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    const dark = theme === 'dark' || (theme !== 'light' && systemDark);
    document.documentElement.classList.toggle('dark', dark);
    const lang = localStorage.getItem('keel.lang');
    if (lang === 'ko' || lang === 'en') document.documentElement.lang = lang;
  } catch {
    // Storage may be blocked; the app applies the system theme once it starts.
  }
})();
