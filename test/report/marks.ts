/** Data marks of each kind in a rendered SVG (children of Vega's `g.role-mark.mark-KIND` groups). */
export function countMarks(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) {
    const kind = m[1]!;
    const children = (m[2]!.match(kind === 'rule' ? /<line/g : /<path/g) ?? []).length;
    counts[kind] = (counts[kind] ?? 0) + children;
  }
  return counts;
}
