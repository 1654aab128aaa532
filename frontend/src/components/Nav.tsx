import Link from 'next/link';
import { routes } from '@/lib/routes';
import { SearchBox } from '@/features/search/SearchBox';

export function Nav() {
  return (
    <header className="site-header">
      <nav aria-label="Main" className="nav">
        <Link href={routes.dashboard()} className="brand">
          <span aria-hidden="true" className="brand-mark">
            ▣
          </span>{' '}
          Waybill
        </Link>
        <ul className="nav-links">
          <li>
            <Link href={routes.blocks()}>Blocks</Link>
          </li>
          <li>
            <Link href={routes.authorities()}>Authorities</Link>
          </li>
          <li>
            <Link href={routes.staff()}>Staff desk</Link>
          </li>
        </ul>
        <SearchBox />
      </nav>
    </header>
  );
}
