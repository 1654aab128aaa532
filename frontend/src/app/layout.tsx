import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { LiveBanner } from '@/components/LiveBanner';
import { Nav } from '@/components/Nav';
import { readConfig } from '@/config';
import { browserConfig } from '@/config/browser';
import { NodeConfigProvider } from '@/lib/browser-config';
import { LiveProvider } from '@/lib/live';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Waybill explorer', template: '%s · Waybill' },
  description:
    'Provenance you can check: every custody step of a product, signed by who did it and finalized by the consortium.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f8fa' },
    { media: '(prefers-color-scheme: dark)', color: '#11151c' },
  ],
};

// Every page shows the chain as it is now, and the node URL is read at request time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = browserConfig(readConfig());
  return (
    <html lang="en">
      <body>
        <NodeConfigProvider config={config}>
          <LiveProvider>
            <a href="#main" className="skip-link">
              Skip to content
            </a>
            <Nav />
            <LiveBanner />
            <main id="main" className="main">
              {children}
            </main>
            <footer className="site-footer">
              <p>
                Waybill: every step signed by who did it, finalized by the consortium&apos;s
                authorities.
              </p>
            </footer>
          </LiveProvider>
        </NodeConfigProvider>
      </body>
    </html>
  );
}
