'use client';
/** The node endpoints and trusted genesis, handed down from the server's configuration. */
import { createContext, useContext, type ReactNode } from 'react';
import type { BrowserConfig } from '@/config/browser';

const NodeConfigContext = createContext<BrowserConfig | null>(null);

export function NodeConfigProvider({
  config,
  children,
}: {
  config: BrowserConfig;
  children: ReactNode;
}) {
  return <NodeConfigContext value={config}>{children}</NodeConfigContext>;
}

export function useNodeConfig(): BrowserConfig {
  const config = useContext(NodeConfigContext);
  if (!config) throw new Error('useNodeConfig outside NodeConfigProvider');
  return config;
}
