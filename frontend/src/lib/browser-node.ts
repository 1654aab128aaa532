'use client';
/** The node as the browser reaches it: the typed client from `shared` on the public endpoint. */
import { WaybillClient } from '@waybill/shared/client';
import { useMemo } from 'react';
import { useNodeConfig } from './browser-config';

export function useNodeClient(): WaybillClient {
  const { graphqlUrl } = useNodeConfig();
  return useMemo(() => new WaybillClient({ url: graphqlUrl }), [graphqlUrl]);
}
