import { CHART_BOX, chartLabel, plotPoints, polylinePoints, type ChartPoint } from './triageChart';

type Props = Readonly<{ title: string; unit: string; points: readonly ChartPoint[]; format?: (value: number) => string }>;

/**
 * A small inline SVG of one parameter across the recorded sets. role="img" with a label that says
 * every value and time; the trend table above is the full accessible equivalent.
 */
export function TrendChart({ title, unit, points, format = String }: Props) {
  const plotted = plotPoints(points);
  const label = chartLabel(title, unit, points, format);
  const latest = plotted[plotted.length - 1];
  return (
    <figure className="app-chart">
      <figcaption className="app-chart__title" aria-hidden="true">
        {title}
        {unit ? <span className="app-chart__unit"> {unit}</span> : null}
        {latest ? <span className="app-chart__latest">latest {format(latest.value)}</span> : null}
      </figcaption>
      <svg className="app-chart__svg" viewBox={`0 0 ${CHART_BOX.width} ${CHART_BOX.height}`} role="img" aria-label={label} focusable="false">
        <line className="app-chart__axis" x1={CHART_BOX.padX / 2} x2={CHART_BOX.width - CHART_BOX.padX / 2} y1={CHART_BOX.height - 4} y2={CHART_BOX.height - 4} />
        {plotted.length > 1 ? <polyline className="app-chart__line" points={polylinePoints(plotted)} /> : null}
        {plotted.map((p) => (
          <g key={`${p.at}:${p.x}`}>
            <circle className="app-chart__dot" cx={p.x} cy={p.y} r={4.5} />
            <text className="app-chart__value" x={p.x} y={p.y - 8} textAnchor="middle">
              {format(p.value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
