import { Badge, makeStyles, type BadgeProps } from '@fluentui/react-components';
import type { TieLabel } from './api-types.js';

const COLOR: Record<TieLabel, BadgeProps['color']> = {
  strong: 'success',
  medium: 'brand',
  weak: 'warning',
  cold: 'informative',
};

const useStyles = makeStyles({ badge: { whiteSpace: 'nowrap', flexShrink: 0 } });

/** Strength 0–100 with its label; read out in full by screen readers. */
export function StrengthBadge({ strength, label }: { strength: number; label: TieLabel }) {
  const styles = useStyles();
  return (
    <Badge
      className={styles.badge}
      appearance="tint"
      color={COLOR[label]}
      role="img"
      aria-label={`Strength ${Math.round(strength)} of 100, ${label}`}
    >
      {Math.round(strength)} · {label}
    </Badge>
  );
}
