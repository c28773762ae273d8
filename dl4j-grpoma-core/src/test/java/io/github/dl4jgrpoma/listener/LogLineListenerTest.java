package io.github.dl4jgrpoma.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class LogLineListenerTest {

    @Test
    void compactNumberAndDurationFormats() {
        assertEquals("NaN", MetricFormat.compact(Double.NaN));
        assertEquals("inf", MetricFormat.compact(Double.POSITIVE_INFINITY));
        assertEquals("-inf", MetricFormat.compact(Double.NEGATIVE_INFINITY));
        assertEquals("0", MetricFormat.compact(0.0));
        assertEquals("12", MetricFormat.compact(12.0));
        assertEquals("-3", MetricFormat.compact(-3.0));
        assertEquals("25000000", MetricFormat.compact(2.5e7));
        assertEquals("0.5", MetricFormat.compact(0.5));
        assertEquals("12.35", MetricFormat.compact(12.3456));
        assertEquals("-0.001235", MetricFormat.compact(-0.0012346));
        assertEquals("123500", MetricFormat.compact(123456.7));
        assertEquals("1.000e-05", MetricFormat.compact(1e-5));
        assertEquals("2.500e+09", MetricFormat.compact(2.5e9 + 0.5));
        assertEquals("00:00", MetricFormat.duration(999));
        assertEquals("01:05", MetricFormat.duration(65_000));
        assertEquals("59:59", MetricFormat.duration(3_599_999));
        assertEquals("1:00:00", MetricFormat.duration(3_600_000));
        assertEquals("27:46:40", MetricFormat.duration(100_000_000));
    }

    @Test
    void formatsChosenMetricsInChosenOrder() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", 0.012345);
        m.put("kl", 1e-5);
        m.put("reward/mean", 0.75);
        StepEvent e = new StepEvent("rl", 20, 500, 12_300, m);
        assertEquals("rl step 20/500 (4.0%) 00:12 loss=0.01235 kl=1.000e-05 reward/mean=0.75",
                new LogLineListener(1).formatLine(e));
        assertEquals("rl step 20/500 (4.0%) 00:12 reward/mean=0.75 loss=0.01235",
                new LogLineListener(1, List.of("reward/mean", "missing", "loss")).formatLine(e));
    }

    @Test
    void logsEveryNStepsAndTheLastStep() {
        Logger logger = (Logger) LoggerFactory.getLogger(LogLineListener.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            LogLineListener l = new LogLineListener(4, List.of("loss"));
            for (int s = 1; s <= 10; s++) {
                l.onStep(new StepEvent("sft", s, 10, s * 100L, Map.of("loss", (double) s)));
            }
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(List.of("sft step 4/10 (40.0%) 00:00 loss=4", "sft step 8/10 (80.0%) 00:00 loss=8",
                    "sft step 10/10 (100.0%) 00:01 loss=10"), lines);
        } finally {
            logger.detachAppender(appender);
        }
    }
}
