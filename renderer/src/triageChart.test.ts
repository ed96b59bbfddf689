import { describe, expect, it } from 'vitest';
import { CHART_BOX, chartLabel, plotPoints, polylinePoints } from './triageChart';

describe('trend charts', () => {
  it('spreads points across the box, highest value at the top', () => {
    const plotted = plotPoints([{ at: 'a', value: 10 }, { at: 'b', value: 20 }, { at: 'c', value: 15 }]);
    expect(plotted.map((p) => p.x)).toEqual([CHART_BOX.padX, CHART_BOX.width / 2, CHART_BOX.width - CHART_BOX.padX]);
    expect(plotted[1]?.y).toBe(CHART_BOX.padY);
    expect(plotted[0]?.y).toBe(CHART_BOX.height - CHART_BOX.padY);
    expect(polylinePoints(plotted).split(' ')).toHaveLength(3);
  });

  it('puts a flat series and a single point in the middle, and skips sets without the value', () => {
    expect(plotPoints([{ at: 'a', value: 5 }])).toEqual([{ x: CHART_BOX.width / 2, y: CHART_BOX.height / 2, value: 5, at: 'a' }]);
    const plotted = plotPoints([{ at: 'a', value: 5 }, { at: 'b', value: null }, { at: 'c', value: 5 }]);
    expect(plotted.map((p) => p.at)).toEqual(['a', 'c']);
    expect(plotted.every((p) => p.y === CHART_BOX.height / 2)).toBe(true);
    expect(plotPoints([])).toEqual([]);
  });

  it('says the values in words, oldest first', () => {
    expect(chartLabel('Pulse', 'beats a minute', [{ at: '10:42', value: 88 }, { at: '10:50', value: null }])).toBe('Pulse, beats a minute: 88 at 10:42, not taken at 10:50');
    expect(chartLabel('NEWS2 total', '', [])).toBe('NEWS2 total: no recorded sets');
  });
});
