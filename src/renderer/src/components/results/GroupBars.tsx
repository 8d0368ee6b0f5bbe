import { BarChart } from '@mui/x-charts/BarChart';
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine';
import { ExportableChart } from '../charts/ExportableChart';

export interface GroupValue {
  group: string;
  value: number | null;
  /** Fewer than 10 test subjects: marked with * and left out of the gaps. */
  small: boolean;
}

/** A performance metric per group as bars, with the value over all subjects as a dashed line. */
export function GroupBars({
  name,
  title,
  label,
  groups,
  overall,
  width,
}: {
  name: string;
  title: string;
  label: string;
  groups: GroupValue[];
  overall: number | null;
  /** Fixed width in pixels; by default the chart fills its container. */
  width?: number;
}) {
  return (
    <ExportableChart name={name} title={title}>
      <BarChart
        skipAnimation
        width={width}
        height={260}
        xAxis={[{ scaleType: 'band', data: groups.map((g) => `${g.group}${g.small ? ' *' : ''}`) }]}
        yAxis={[{ min: 0, max: 1 }]}
        series={[{ data: groups.map((g) => g.value), label }]}
      >
        {overall !== null && <ChartsReferenceLine y={overall} label="overall" lineStyle={{ strokeDasharray: '4 4' }} />}
      </BarChart>
    </ExportableChart>
  );
}
