import Link from 'next/link';
import { routes } from '@/lib/routes';

/** A path that is not a GS1 identifier Waybill tracks: GS1's own reason, and what would work. */
export function InvalidIdentifier({ input, reason }: { input: string; reason: string }) {
  return (
    <div className="state state-error" role="alert">
      <h1 className="state-title">Not a valid product identifier</h1>
      <p>
        <code>{input}</code> is not a GS1 Digital Link this explorer can open: {reason}.
      </p>
      <p>
        Product pages live at{' '}
        <code>
          /01/{'{GTIN}'}/21/{'{serial}'}
        </code>{' '}
        (an item),{' '}
        <code>
          /01/{'{GTIN}'}/10/{'{lot}'}
        </code>{' '}
        (a lot), <code>/00/{'{SSCC}'}</code> (a pallet) or <code>/01/{'{GTIN}'}</code> (a product).
        Check the digits under the barcode, or <Link href={routes.dashboard()}>search</Link> for it.
      </p>
    </div>
  );
}
