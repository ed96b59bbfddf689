import { getSearchParameter, type IncludeTarget, tryGetDataType } from '@medplum/core';
import type { BundleEntry, Resource } from '@medplum/fhirtypes';

/**
 * `_include` without FHIRPath for the reference parameters whose expression is a plain path:
 * `Type.a.b`, `Type.a.where(resolve() is X)` or a choice `(Type.a.ofType(Reference))`, e.g.
 * MedicationRequest:medication (issue #11), CarePlan:subject, Task:patient. Medplum evaluates
 * the parameter's whole expression (every type's part) with typed FHIRPath for every resource of
 * the page, which cost the benchmark region most of a second per page; walking the path gives the
 * same references. Anything else (`:iterate`, other expressions) is left to Medplum.
 */
type Path = Readonly<{ steps: readonly string[]; targetType: string | undefined }>;
const compiled = new Map<string, readonly Path[] | null>();

/** One `|` part of a parameter's expression as a path, or null when it is anything else. */
function parsePart(part: string, resourceType: string): Path | null {
  let p = part.trim();
  if (p.startsWith('(') && p.endsWith(')')) p = p.slice(1, -1).trim();
  const where = /\.where\(resolve\(\) is ([A-Za-z]+)\)$/.exec(p);
  if (where) p = p.slice(0, where.index);
  const ofType = /(?:\.ofType\(Reference\)| as Reference)$/.exec(p);
  if (ofType) p = p.slice(0, ofType.index);
  if (!/^[A-Za-z]+(?:\.[A-Za-z]+)+$/.test(p)) return null;
  const [head, ...steps] = p.split('.');
  if (head !== resourceType || steps.length === 0) return null;
  if (ofType) {
    // `a.ofType(Reference)` is the choice element a[x] as its Reference: JSON names it aReference.
    const elementPath = steps.join('.');
    if (!tryGetDataType(resourceType)?.elements[`${elementPath}[x]`]) return null;
    steps[steps.length - 1] = `${steps[steps.length - 1] ?? ''}Reference`;
  }
  return { steps, targetType: where?.[1] };
}

function pathsOf(include: IncludeTarget): readonly Path[] | null {
  const key = `${include.resourceType}:${include.searchParam}`;
  const known = compiled.get(key);
  if (known !== undefined) return known;
  const param = getSearchParameter(include.resourceType, include.searchParam);
  let paths: Path[] | null = null;
  if (param?.type === 'reference' && param.expression) {
    const parts = param.expression.split('|').map((p) => p.trim()).filter((p) => p.replace(/^\(/, '').startsWith(`${include.resourceType}.`));
    const parsed = parts.map((p) => parsePart(p, include.resourceType));
    if (parsed.length > 0 && parsed.every((p) => p !== null)) paths = parsed as Path[];
  }
  compiled.set(key, paths);
  return paths;
}

function walk(value: unknown, steps: readonly string[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of steps) {
    current = current.flatMap((item) => {
      const child = item && typeof item === 'object' ? (item as Record<string, unknown>)[step] : undefined;
      return Array.isArray(child) ? (child as unknown[]) : child === undefined || child === null ? [] : [child];
    });
  }
  return current;
}

/** True when every include of the request can be answered here (none iterates). */
export function canIncludeFast(includes: readonly IncludeTarget[]): boolean {
  return includes.every((i) => i.modifier !== 'iterate' && pathsOf(i) !== null);
}

/**
 * The included entries for a page, in first-reference order, each once and never one of the
 * page's own matches; references that do not resolve (deleted, absent, contained) are skipped.
 */
export async function includeFast(
  includes: readonly IncludeTarget[],
  matches: readonly Resource[],
  read: (type: string, id: string) => Promise<Resource | null>,
  fullUrl: (type: string, id: string) => string,
): Promise<BundleEntry[]> {
  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id ?? ''}`));
  const wanted: string[] = [];
  for (const include of includes) {
    for (const path of pathsOf(include) ?? []) {
      for (const resource of matches) {
        if (resource.resourceType !== include.resourceType) continue;
        for (const leaf of walk(resource, path.steps)) {
          const ref = (leaf as { reference?: unknown } | null)?.reference;
          if (typeof ref !== 'string' || !/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) continue;
          const type = ref.slice(0, ref.indexOf('/'));
          if ((path.targetType && type !== path.targetType) || (include.targetType && type !== include.targetType) || seen.has(ref)) continue;
          seen.add(ref);
          wanted.push(ref);
        }
      }
    }
  }
  const entries: BundleEntry[] = [];
  for (const ref of wanted) {
    const [type = '', id = ''] = ref.split('/');
    const resource = await read(type, id);
    if (resource) entries.push({ fullUrl: fullUrl(type, id), search: { mode: 'include' }, resource });
  }
  return entries;
}
