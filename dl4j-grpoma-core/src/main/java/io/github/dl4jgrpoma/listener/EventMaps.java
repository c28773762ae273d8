package io.github.dl4jgrpoma.listener;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Validated, ordered, unmodifiable copies of the maps carried by events. */
final class EventMaps {
    private EventMaps() {
    }

    /** Metric names: non-empty, no control characters (so every metric fits one CSV/JSONL line). */
    static Map<String, Double> metrics(Map<String, Double> in) {
        if (in == null) {
            throw new IllegalArgumentException("metrics is null; fix: pass Map.of() for a step without metrics");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            checkKey("metric", k);
            if (v == null) {
                throw new IllegalArgumentException("metric '" + k + "' is null; fix: pass Double.NaN for a missing value");
            }
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }

    static Map<String, String> strings(Map<String, String> in) {
        if (in == null) {
            throw new IllegalArgumentException("config is null; fix: pass Map.of()");
        }
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            checkKey("config", k);
            if (v == null) {
                throw new IllegalArgumentException("config value of '" + k + "' is null");
            }
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }

    static String requireToken(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' is invalid; fix: use letters, digits and _ . - only, e.g. \"rl\"");
        }
        return value;
    }

    private static void checkKey(String what, String k) {
        if (k == null || k.isEmpty() || k.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " name '" + k
                    + "' is invalid; fix: use a non-empty name without control characters such as line breaks");
        }
    }
}
