/** What stopped an action before signing, item by item, with what to do about it. */
import type { Problem } from '../utils/prechecks';

export function ProblemList({ problems, title }: { problems: Problem[]; title?: string }) {
  if (problems.length === 0) return null;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        {title ??
          (problems.length === 1
            ? 'Nothing was signed: fix this first.'
            : `Nothing was signed: fix these ${String(problems.length)} problems first.`)}
      </p>
      <ul>
        {problems.map((problem, i) => (
          <li key={`${problem.epc ?? ''}:${String(i)}`}>{problem.message}</li>
        ))}
      </ul>
    </div>
  );
}
