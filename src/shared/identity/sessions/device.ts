/** What a user agent string says about the device, coarsely (seed 000 `06_device_profile`). */
export interface DeviceInfo {
  browser: string | null;
  os: string | null;
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'cli' | 'bot' | null;
}

const browsers: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Chrome|CriOS|HeadlessChrome|Chromium)\//, 'Chrome'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bVersion\/[\d.]+.*Safari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
  [/\bkeel-cli\//, 'Keel CLI'],
  [/\bnode(?:-fetch)?\b|\bundici\b/i, 'Node.js'],
];
const systems: Array<[RegExp, string]> = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b.*\bOS\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

export function parseUserAgent(userAgent: string | undefined): DeviceInfo {
  if (!userAgent) return { browser: null, os: null, deviceType: null };
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  const os = systems.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  let deviceType: DeviceInfo['deviceType'] = 'desktop';
  if (/bot|crawler|spider/i.test(userAgent)) deviceType = 'bot';
  else if (/\biPad\b|\bTablet\b/.test(userAgent)) deviceType = 'tablet';
  else if (/\bMobi|\biPhone\b|\bAndroid\b/.test(userAgent)) deviceType = 'mobile';
  else if (browser === 'curl' || browser === 'Keel CLI' || browser === 'Node.js') deviceType = 'cli';
  return { browser, os, deviceType };
}
