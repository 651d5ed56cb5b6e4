import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One time-series line in uPlot (canvas); redrawn in place when the data changes. */
export function StatsChart({ x, values, label }: { x: number[]; values: Array<number | null>; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    if (box.current === null) return;
    const opts: uPlot.Options = {
      width: 560,
      height: 160,
      legend: { show: false },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [{}, { label, stroke: '#2f6fd6', width: 2, spanGaps: false, points: { show: true, size: 5 } }],
      axes: [{}, { size: 50 }],
    };
    plot.current = new uPlot(opts, [x, values], box.current);
    return () => {
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [label]);

  useEffect(() => {
    plot.current?.setData([x, values]);
  }, [x, values]);

  return <div class="chart" ref={box} />;
}
