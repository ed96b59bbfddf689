/**
 * Geometry and words for the small trend charts: one per parameter and one for the NEWS2 total.
 * The chart is a picture of the trend table (which stays the accessible equivalent); its label
 * says the same values in order.
 */

export type ChartPoint = Readonly<{ at: string; value: number | null }>;
export type PlottedPoint = Readonly<{ x: number; y: number; value: number; at: string }>;
export type ChartBox = Readonly<{ width: number; height: number; padX: number; padY: number }>;

export const CHART_BOX: ChartBox = { width: 240, height: 96, padX: 18, padY: 18 };

/**
 * Points spread evenly left to right (sets are minutes apart and in order; even spacing keeps
 * each one readable), scaled to the values' range; a flat series sits in the middle.
 */
export function plotPoints(points: readonly ChartPoint[], box: ChartBox = CHART_BOX): PlottedPoint[] {
  const present = points.flatMap((p, index) => (p.value === null ? [] : [{ index, value: p.value, at: p.at }]));
  if (present.length === 0) return [];
  const values = present.map((p) => p.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const innerW = box.width - 2 * box.padX;
  const innerH = box.height - 2 * box.padY;
  const slots = Math.max(1, points.length - 1);
  return present.map(({ index, value, at }) => ({
    x: round(points.length === 1 ? box.width / 2 : box.padX + (innerW * index) / slots),
    y: round(high === low ? box.height / 2 : box.padY + innerH * (1 - (value - low) / (high - low))),
    value,
    at,
  }));
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The SVG polyline's points attribute. */
export const polylinePoints = (plotted: readonly PlottedPoint[]): string => plotted.map((p) => `${p.x},${p.y}`).join(' ');

/**
 * What the chart shows, in words, oldest first.
 * @example chartLabel('Pulse', 'beats a minute', [{ at: '10:42', value: 88 }, { at: '10:50', value: 96 }]) // 'Pulse, beats a minute: 88 at 10:42, 96 at 10:50'
 */
export function chartLabel(title: string, unit: string, points: readonly ChartPoint[], format: (value: number) => string = String): string {
  const parts = points.map((p) => `${p.value === null ? 'not taken' : format(p.value)} at ${p.at}`);
  const head = unit ? `${title}, ${unit}` : title;
  return parts.length === 0 ? `${head}: no recorded sets` : `${head}: ${parts.join(', ')}`;
}
