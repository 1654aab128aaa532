import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { TimeStamp } from '@/components/TimeStamp';
import { routes } from '@/lib/routes';
import type { BlockSummary } from './queries';

export function BlocksTable({
  blocks,
  names,
  caption,
}: {
  blocks: BlockSummary[];
  names: Record<string, string>;
  caption: string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Height</th>
            <th scope="col" className="hide-narrow">
              Hash
            </th>
            <th scope="col">Time</th>
            <th scope="col" className="hide-narrow">
              Proposer
            </th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((block) => (
            <tr key={block.hash}>
              <td>
                <Link href={routes.block(block.height)}>{block.height}</Link>
              </td>
              <td className="hide-narrow">
                <Hash value={block.hash} href={routes.block(block.hash)} label="block hash" />
              </td>
              <td>
                <TimeStamp iso={block.timestamp} compact />
              </td>
              <td className="hide-narrow">
                {names[block.proposer] ?? <Hash value={block.proposer} label="proposer key" />}
              </td>
              <td>{block.txCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
