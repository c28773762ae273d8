package io.github.dl4jgrpoma.listener;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Compact human-readable formatting of metric values and durations for log lines and progress bars. */
final class MetricFormat {
    private MetricFormat() {
    }

    /**
     * {@code NaN}, {@code inf}, {@code -inf}; whole numbers below 1e9 in magnitude without a fraction
     * ({@code 12}); magnitudes in [1e-3, 1e6) with 4 significant digits and no trailing zeros
     * ({@code 0.01235}, {@code 12.35}); anything else in scientific notation with 4 significant digits
     * ({@code 1.000e-05}).
     */
    static String compact(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e9) {
            return Long.toString((long) v);
        }
        if (a >= 1e-3 && a < 1e6) {
            return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** {@code mm:ss} below one hour, {@code h:mm:ss} from one hour; negative values count as 0. */
    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }
}
