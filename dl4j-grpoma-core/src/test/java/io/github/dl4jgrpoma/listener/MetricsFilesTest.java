package io.github.dl4jgrpoma.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class MetricsFilesTest {

    @TempDir
    Path dir;

    private static final double AWKWARD = 0.1 + 0.2; // 0.30000000000000004

    private static Map<String, Double> metrics(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    /** Step 1: loss, reward/mean; step 2: loss only; step 3: adds eval/acc. */
    private static List<StepEvent> events() {
        return List.of(
                new StepEvent("rl", 1, 3, 1520, metrics("loss", AWKWARD, "reward/mean", 1e-300)),
                new StepEvent("rl", 2, 3, 3040, metrics("loss", -0.0)),
                new StepEvent("rl", 3, 3, 4561, metrics("loss", Double.NaN, "reward/mean", Double.POSITIVE_INFINITY,
                        "eval/acc", 0.75)));
    }

    @Test
    void csvRowsParseBackToTheSameNumbersAndNewColumnsWidenTheFile() throws IOException {
        Path file = dir.resolve("run/metrics.csv");
        CsvMetricsListener csv = new CsvMetricsListener(file);
        for (StepEvent e : events()) {
            csv.onStep(e);
            // flushed after every row: the file already holds the header plus e.step() rows
            assertEquals(1 + e.step(), Files.readAllLines(file).size());
        }
        csv.onEnd(new TrainingEndEvent(EndReason.COMPLETED, 3, 4600, Map.of(), ""));

        List<String> lines = Files.readAllLines(file);
        assertEquals("phase,step,total_steps,elapsed_ms,loss,reward/mean,eval/acc", lines.get(0));
        String[][] rows = new String[3][];
        for (int i = 0; i < 3; i++) {
            rows[i] = lines.get(i + 1).split(",", -1);
            assertEquals(7, rows[i].length, lines.get(i + 1));
        }
        assertEquals("rl", rows[0][0]);
        assertEquals(1, Long.parseLong(rows[0][1]));
        assertEquals(3, Long.parseLong(rows[0][2]));
        assertEquals(1520, Long.parseLong(rows[0][3]));
        assertEquals(AWKWARD, Double.parseDouble(rows[0][4]));
        assertEquals(1e-300, Double.parseDouble(rows[0][5]));
        assertEquals("", rows[0][6]); // column added later: empty in earlier rows
        assertEquals(-0.0, Double.parseDouble(rows[1][4])); // sign of zero preserved (bitwise comparison)
        assertEquals("", rows[1][5]); // metric missing in this step
        assertEquals(Double.NaN, Double.parseDouble(rows[2][4]));
        assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(rows[2][5]));
        assertEquals(0.75, Double.parseDouble(rows[2][6]));
        assertEquals(4561, Long.parseLong(rows[2][3]));
    }

    @Test
    void csvResumeAppendsUnderTheExistingHeader() throws IOException {
        Path file = dir.resolve("metrics.csv");
        CsvMetricsListener first = new CsvMetricsListener(file);
        first.onStep(new StepEvent("rl", 1, 4, 10, metrics("loss", 0.5, "kl", 0.01)));
        first.close();
        // Simulate a crash that cut the last row short (no line break).
        Files.writeString(file, "rl,2,4,20,0.4", java.nio.file.StandardOpenOption.APPEND);
        CsvMetricsListener resumed = new CsvMetricsListener(file);
        resumed.onStep(new StepEvent("rl", 3, 4, 5, metrics("kl", 0.02, "loss", 0.3)));
        resumed.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("phase,step,total_steps,elapsed_ms,loss,kl", "rl,1,4,10,0.5,0.01", "rl,2,4,20,0.4",
                "rl,3,4,5,0.3,0.02"), lines);
    }

    @Test
    void csvQuotingFollowsRfc4180() {
        assertEquals("plain", CsvMetricsListener.quote("plain"));
        assertEquals("\"a,b\"", CsvMetricsListener.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvMetricsListener.quote("say \"hi\""));
        assertEquals(List.of("a,b", "say \"hi\"", "", "x"),
                CsvMetricsListener.parseLine("\"a,b\",\"say \"\"hi\"\"\",,x"));
    }

    @Test
    void ioErrorsAndClashingNamesAreReportedClearly() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path file = blocker.resolve("metrics.csv");
        StepEvent e = new StepEvent("sft", 1, 2, 0, metrics("loss", 1.0));
        UncheckedIOException csvError = assertThrows(UncheckedIOException.class, () -> new CsvMetricsListener(file).onStep(e));
        assertTrue(csvError.getMessage().contains(file.toString()) && csvError.getMessage().contains("sft step 1")
                && csvError.getMessage().contains("fix:"), csvError.getMessage());
        UncheckedIOException jsonError = assertThrows(UncheckedIOException.class,
                () -> new JsonlMetricsListener(blocker.resolve("m.jsonl")).onStep(e));
        assertTrue(jsonError.getMessage().contains("m.jsonl"), jsonError.getMessage());

        StepEvent clash = new StepEvent("rl", 1, 2, 0, metrics("step", 1.0));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new CsvMetricsListener(dir.resolve("c.csv")).onStep(clash));
        assertTrue(ex.getMessage().contains("'step'"), ex.getMessage());
        Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        UncheckedIOException foreign = assertThrows(UncheckedIOException.class,
                () -> new CsvMetricsListener(dir.resolve("other.csv")).onStep(e));
        assertTrue(foreign.getMessage().contains("header"), foreign.getMessage());
    }

    @Test
    void jsonlRowsParseBackToTheSameNumbers() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        JsonlMetricsListener jsonl = new JsonlMetricsListener(file);
        for (StepEvent e : events()) {
            jsonl.onStep(e);
        }
        jsonl.onEnd(new TrainingEndEvent(EndReason.COMPLETED, 3, 4600, Map.of(), ""));
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode r0 = mapper.readTree(lines.get(0));
        assertEquals("rl", r0.get("phase").asText());
        assertEquals(1, r0.get("step").asLong());
        assertEquals(3, r0.get("total_steps").asLong());
        assertEquals(1520, r0.get("elapsed_ms").asLong());
        assertEquals(AWKWARD, r0.get("loss").asDouble());
        assertEquals(1e-300, r0.get("reward/mean").asDouble());
        assertEquals(List.of("phase", "step", "total_steps", "elapsed_ms", "loss", "reward/mean"), fieldNames(r0));
        JsonNode r1 = mapper.readTree(lines.get(1));
        assertEquals(-0.0, r1.get("loss").asDouble());
        assertTrue(!r1.has("reward/mean"));
        JsonNode r2 = mapper.readTree(lines.get(2));
        assertTrue(r2.get("loss").isNull());
        assertTrue(r2.get("reward/mean").isNull());
        assertEquals(0.75, r2.get("eval/acc").asDouble());

        // appending after a restart keeps earlier rows; names with quotes are escaped
        JsonlMetricsListener again = new JsonlMetricsListener(file);
        again.onStep(new StepEvent("rl", 3, 3, 1, metrics("say \"hi\"\\", 2.0)));
        again.close();
        JsonNode r3 = mapper.readTree(Files.readAllLines(file).get(3));
        assertEquals(2.0, r3.get("say \"hi\"\\").asDouble());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
