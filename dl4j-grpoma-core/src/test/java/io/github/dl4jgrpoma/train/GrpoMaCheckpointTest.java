package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.OptimizerConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dl4jgrpoma.checkpoint.Checkpoint;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.checkpoint.CheckpointManifest;
import io.github.dl4jgrpoma.checkpoint.CheckpointStore;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * Checkpoint and resume of the GRPO-MA trainer: 4 straight steps equal 2 steps + checkpoint + a new trainer
 * (on a differently initialised model, restored from disk) + 2 steps, parameter for parameter; an interrupted
 * write leaves the previous checkpoint loadable; corrupt checkpoints and config mismatches are clear errors.
 */
class GrpoMaCheckpointTest {
    @TempDir
    Path dir;

    private static GrpoMaConfig config(long steps, double lr) {
        return GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 2).build()).promptsPerStep(3).steps(steps).seed(5)
                .innerEpochs(2).loss(LossConfig.builder().beta(0.05).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(lr)).checkpointEvery(2).build();
    }

    private GrpoMaTrainerBuilder builder(TransformerPolicy policy, GrpoMaConfig cfg, Path checkpoints) {
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(cfg).checkpointDirectory(checkpoints);
    }

    private static Map<String, float[]> params(TransformerPolicy p) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String n : p.trainableVariables()) {
            out.put(n, p.weight(n).dup().reshape(-1).toFloatVector());
        }
        return out;
    }

    @Test
    void resumedRunEqualsUninterruptedRunIncludingReferenceAndOptimizerState() {
        TransformerPolicy straight = Tiny.policy(8, 1);
        TrainingResult a = builder(straight, config(4, 1e-2), dir.resolve("a")).build().fit();
        assertEquals(4, a.completedSteps());

        TransformerPolicy first = Tiny.policy(8, 1);
        TrainingResult half = builder(first, config(2, 1e-2), dir.resolve("b")).build().fit();
        assertEquals(dir.resolve("b").resolve("step-000002"), half.lastCheckpoint().orElseThrow());

        // a model with other initial weights: everything (weights, reference, Adam) must come from disk
        TransformerPolicy other = Tiny.policy(8, 99);
        GrpoMaTrainer resumed = GrpoMaTrainer.resume(builder(other, config(4, 1e-2), dir.resolve("b")));
        assertEquals(2, resumed.completedSteps());
        TrainingResult b = resumed.fit();
        assertEquals(4, b.completedSteps());
        assertEquals(2, b.stepsRun());

        Map<String, float[]> pa = params(straight);
        Map<String, float[]> pb = params(other);
        for (String n : pa.keySet()) {
            assertArrayEquals(pa.get(n), pb.get(n), 1e-6f, n);
        }
        for (String m : new String[] {"loss", "kl", "grad_norm", "grad_spike_score", "reward/mean", "entropy"}) {
            assertEquals(a.finalMetrics().get(m), b.finalMetrics().get(m), 1e-6, m);
        }
    }

    @Test
    void interruptedWritesAndCorruptCheckpointsFallBackToTheLastGoodOne() throws IOException {
        Path ck = dir.resolve("ck");
        TransformerPolicy policy = Tiny.policy(8, 2);
        GrpoMaTrainer trainer = builder(policy, config(2, 1e-2), ck).build();
        trainer.fit();
        Map<String, float[]> saved = params(policy);
        String fingerprint = trainer.fingerprint();

        // a writer that dies half-way: the store reports it, nothing is published
        CheckpointStore store = new CheckpointStore(ck, 3);
        assertThrows(CheckpointException.class, () -> store.save(3, fingerprint, d -> {
            Files.writeString(d.resolve(TrainingCheckpoints.MODEL), "half a model");
            throw new IOException("killed");
        }));
        // a leftover temp directory of a process killed before the rename
        Path tmp = Files.createDirectories(ck.resolve(".tmp-step-000004-123"));
        Files.writeString(tmp.resolve(TrainingCheckpoints.MODEL), "partial");
        // a published checkpoint whose optimizer file was damaged afterwards
        Path corrupt = ck.resolve("step-000005");
        Files.createDirectories(corrupt);
        try (var files = Files.list(ck.resolve("step-000002"))) {
            for (Path f : files.toList()) {
                Files.copy(f, corrupt.resolve(f.getFileName()));
            }
        }
        Files.writeString(corrupt.resolve(CheckpointManifest.FILE_NAME),
                Files.readString(corrupt.resolve(CheckpointManifest.FILE_NAME)).replace("step=2", "step=5")
                        .replace("\"step\": 2", "\"step\": 5"));
        Files.write(corrupt.resolve(TrainingCheckpoints.OPTIMIZER), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        TransformerPolicy fresh = Tiny.policy(8, 77);
        GrpoMaTrainer resumed = builder(fresh, config(4, 1e-2), ck).build();
        assertEquals(OptionalLong.of(2), resumed.restoreLatest());
        Map<String, float[]> restored = params(fresh);
        for (String n : saved.keySet()) {
            assertArrayEquals(saved.get(n), restored.get(n), 0f, n);
        }

        // an explicitly requested checkpoint that was damaged after publication is an error naming the file
        Checkpoint good = store.verify(ck.resolve("step-000002"));
        Files.write(ck.resolve("step-000002").resolve(TrainingCheckpoints.MODEL), new byte[] {0}, StandardOpenOption.APPEND);
        CheckpointException e = assertThrows(CheckpointException.class, () -> resumed.restore(good));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("model.sd"), e.getMessage());
        // and when no checkpoint is valid, resuming refuses instead of silently starting over
        CheckpointException none = assertThrows(CheckpointException.class,
                () -> builder(Tiny.policy(8, 3), config(4, 1e-2), ck).build().restoreLatest());
        assertTrue(none.getMessage().contains("none of the 2 checkpoints"), none.getMessage());
    }

    @Test
    void aCheckpointOfAnotherConfigIsRefusedWithBothFingerprints() {
        Path ck = dir.resolve("fp");
        builder(Tiny.policy(8, 4), config(2, 1e-2), ck).build().fit();
        GrpoMaTrainer other = builder(Tiny.policy(8, 4), config(4, 5e-3), ck).build();
        CheckpointException e = assertThrows(CheckpointException.class, other::restoreLatest);
        assertTrue(e.getMessage().contains("another config: optimizer.learningRate differ")
                && e.getMessage().contains("config.json"), e.getMessage());
        assertEquals(0, other.completedSteps());
        assertEquals(builder(Tiny.policy(8, 4), config(2, 1e-2), ck).build().fingerprint(),
                builder(Tiny.policy(8, 4), config(9, 1e-2), ck).build().fingerprint(),
                "the step budget is not part of the fingerprint");
    }

    @Test
    void aCheckpointThatPredatesAConfigFieldResumesWhileTheFieldIsAtItsDefault() throws Exception {
        Path ck = dir.resolve("old");
        TransformerPolicy policy = Tiny.policy(8, 4);
        builder(policy, config(2, 1e-2), ck).build().fit();
        // rewrite step 2 as the code before GrpoMaConfig.oldLogProbs existed would have written it
        Path step = ck.resolve("step-000002");
        Path json = step.resolve(TrainingCheckpoints.CONFIG);
        com.fasterxml.jackson.databind.node.ObjectNode saved = io.github.dl4jgrpoma.config.ConfigJson.parse(
                Files.readString(json), json.toString());
        assertTrue(saved.remove("oldLogProbs") != null);
        Files.writeString(json, saved.toPrettyString());
        com.fasterxml.jackson.databind.node.ObjectNode fingerprinted = saved.deepCopy();
        fingerprinted.remove(GrpoMaConfig.NOT_FINGERPRINTED);
        String oldFingerprint = io.github.dl4jgrpoma.config.ConfigJson.fingerprint(fingerprinted,
                TrainingCheckpoints.shape(policy));
        java.util.Properties manifest = new java.util.Properties();
        Path manifestFile = step.resolve(CheckpointManifest.FILE_NAME);
        try (var in = Files.newBufferedReader(manifestFile)) {
            manifest.load(in);
        }
        manifest.setProperty("config.fingerprint", oldFingerprint);
        manifest.setProperty("size." + TrainingCheckpoints.CONFIG, Long.toString(Files.size(json)));
        manifest.setProperty("sha256." + TrainingCheckpoints.CONFIG, java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(json))));
        try (var out = Files.newBufferedWriter(manifestFile)) {
            manifest.store(out, null);
        }

        GrpoMaTrainer resumed = builder(Tiny.policy(8, 9), config(4, 1e-2), ck).build();
        assertTrue(!oldFingerprint.equals(resumed.fingerprint()), "the fingerprints differ, as after an upgrade");
        assertEquals(OptionalLong.of(2), resumed.restoreLatest(), "the new field is at its default: resumes");

        GrpoMaTrainer changed = builder(Tiny.policy(8, 9), config(4, 1e-2).toBuilder()
                .oldLogProbs(OldLogProbs.RECOMPUTE).build(), ck).build();
        CheckpointException e = assertThrows(CheckpointException.class, changed::restoreLatest);
        assertTrue(e.getMessage().contains("oldLogProbs differ"), e.getMessage());
        GrpoMaTrainer otherShape = builder(Tiny.policy(10, 9), config(4, 1e-2), ck).build();
        assertThrows(CheckpointException.class, otherShape::restoreLatest, "a new field does not excuse another model");
    }

    @Test
    void aCheckpointDirectoryAloneMeansCheckpointsEachHoldingTheConfig() throws Exception {
        GrpoMaConfig cfg = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 2).build()).promptsPerStep(2).steps(3)
                .seed(5).build();
        Path ck = dir.resolve("default");
        TrainingResult r = builder(Tiny.policy(8, 1), cfg, ck).build().fit();
        assertEquals(ck.resolve("step-000003").toAbsolutePath(), r.lastCheckpoint().orElseThrow().toAbsolutePath(),
                "no checkpointEvery set: the final checkpoint is still written");
        Path json = ck.resolve("step-000003").resolve(TrainingCheckpoints.CONFIG);
        assertEquals(cfg, GrpoMaConfig.fromJson(Files.readString(json), json.toString()));
        assertTrue(Files.readString(ck.resolve("step-000003").resolve("manifest.properties")).contains(
                TrainingCheckpoints.CONFIG), "config.json is a verified payload file");
    }
}
