package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.AdamOptimizer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.checkpoint.Checkpoint;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The checkpoint payload shared by both trainers (written through a
 * {@link io.github.dl4jgrpoma.checkpoint.CheckpointStore}, which adds the manifest, SHA-256 sums and atomic
 * publication):
 * <ul>
 *   <li>{@value #MODEL}: the policy graph, {@code sd.save(file, false)} (loadable with e.g.
 *       {@code TransformerPolicy.load}); restored by copying every trainable array by name;</li>
 *   <li>{@value #OPTIMIZER}: the Adam moments, one array per parameter ({@code Nd4j.write});</li>
 *   <li>{@value #STATE}: properties {@code phase}, {@code step} (completed steps), {@code optimizer.iteration}
 *       and trainer extras (e.g. the recent gradient norms of the spike score);</li>
 *   <li>{@value #REFERENCE} (only with a KL penalty): the frozen reference graph;</li>
 *   <li>{@value #CONFIG}: the trainer's whole config as readable JSON
 *       ({@link io.github.dl4jgrpoma.config.ConfigJson}); a resume with another config names the fields that
 *       differ.</li>
 * </ul>
 * The manifest's config fingerprint is the SHA-256 of the config's canonical JSON minus the config's
 * {@code NOT_FINGERPRINTED} fields, plus the model's shape ({@link #fingerprint}).
 * There is no RNG state to save: every random draw of step {@code s} is seeded from {@code (seed, s)}, so
 * the completed step count is the RNG state.
 */
final class TrainingCheckpoints {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingCheckpoints.class);
    static final String MODEL = "model.sd";
    static final String OPTIMIZER = "optimizer.bin";
    static final String STATE = "state.properties";
    static final String REFERENCE = "reference.sd";
    static final String CONFIG = "config.json";

    private TrainingCheckpoints() {
    }

    /** Writes the payload into {@code dir}, {@code config} as {@value #CONFIG}. */
    static void write(Path dir, Object config, PolicyModel policy, AdamOptimizer optimizer, Properties state,
                      SameDiff reference) throws IOException {
        Files.writeString(dir.resolve(CONFIG), ConfigJson.toJson(config), StandardCharsets.UTF_8);
        policy.sameDiff().save(dir.resolve(MODEL).toFile(), false);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(OPTIMIZER))))) {
            Map<String, INDArray> moments = optimizer.exportState();
            out.writeInt(moments.size());
            for (Map.Entry<String, INDArray> e : moments.entrySet()) {
                out.writeUTF(e.getKey());
                Nd4j.write(e.getValue(), out);
            }
        }
        Properties p = new Properties();
        p.putAll(state);
        p.setProperty("optimizer.iteration", Integer.toString(optimizer.iteration()));
        try (Writer w = Files.newBufferedWriter(dir.resolve(STATE), StandardCharsets.UTF_8)) {
            p.store(w, "dl4j-grpoma trainer state");
        }
        if (reference != null) {
            reference.save(dir.resolve(REFERENCE).toFile(), false);
        }
    }

    /** Reads the state properties. */
    static Properties readState(Checkpoint c) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(c.file(STATE), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + STATE + " of checkpoint " + c.directory() + ": " + e, e);
        }
        return p;
    }

    /** A required property, with a clear error when it is missing. */
    static String require(Properties p, String key, Checkpoint c) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new CheckpointException("checkpoint " + c.directory() + " has no '" + key + "' in " + STATE
                    + "; it was not written by this trainer");
        }
        return v;
    }

    /** Copies the saved graph's array of every name of {@code targets} into that target array (in place). */
    static void restoreWeights(Checkpoint c, String file, Map<String, INDArray> targets) {
        SameDiff saved;
        try {
            saved = SameDiff.load(c.file(file).toFile(), false);
        } catch (RuntimeException e) {
            throw new CheckpointException("cannot load " + file + " of checkpoint " + c.directory() + ": " + e, e);
        }
        for (Map.Entry<String, INDArray> target : targets.entrySet()) {
            String name = target.getKey();
            if (!saved.hasVariable(name) || saved.getVariable(name).getArr() == null) {
                throw new CheckpointException("checkpoint " + c.directory() + " lacks parameter '" + name + "' in " + file
                        + "; it belongs to another model");
            }
            INDArray from = saved.getVariable(name).getArr();
            INDArray to = target.getValue();
            if (!Arrays.equals(from.shape(), to.shape())) {
                throw new CheckpointException("checkpoint " + c.directory() + ": parameter '" + name + "' has shape "
                        + Arrays.toString(from.shape()) + ", the model has " + Arrays.toString(to.shape()));
            }
            to.assign(from);
        }
    }

    /** Restores the Adam moments and step counter. */
    static void restoreOptimizer(Checkpoint c, AdamOptimizer optimizer, Properties state) {
        Map<String, INDArray> moments = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(c.file(OPTIMIZER))))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                moments.put(name, Nd4j.read((InputStream) in));
            }
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot read " + OPTIMIZER + " of checkpoint " + c.directory() + ": " + e, e);
        }
        int iteration = Integer.parseInt(require(state, "optimizer.iteration", c));
        try {
            optimizer.importState(moments, iteration);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + c.directory() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The trainer's checkpoint store.
     *
     * @param fix how to give the trainer a checkpoint directory
     * @throws IllegalStateException when {@code store} is null
     */
    static io.github.dl4jgrpoma.checkpoint.CheckpointStore requireStore(io.github.dl4jgrpoma.checkpoint.CheckpointStore store,
                                                                        String fix) {
        if (store == null) {
            throw new IllegalStateException("this trainer has no checkpoint directory; " + fix);
        }
        return store;
    }

    /** The state properties every trainer writes: its phase and the completed step count. */
    static Properties state(String phase, long step) {
        Properties state = new Properties();
        state.setProperty("phase", phase);
        state.setProperty("step", Long.toString(step));
        return state;
    }

    /**
     * The newest valid checkpoint of a store.
     *
     * @return empty when the directory holds no checkpoint
     * @throws CheckpointException when checkpoints exist but none verifies
     */
    static java.util.Optional<Checkpoint> latest(io.github.dl4jgrpoma.checkpoint.CheckpointStore store) {
        java.util.Optional<Checkpoint> latest = store.latest();
        int n = store.checkpointDirectories().size();
        if (latest.isEmpty() && n > 0) {
            throw new CheckpointException("none of the " + n + " checkpoints in " + store.root()
                    + " is valid (see the WARN lines); fix: delete the corrupt ones to start fresh");
        }
        return latest;
    }

    /**
     * Checks fingerprint and phase, then restores the policy weights and the optimiser state.
     *
     * @return the state properties (step and trainer extras)
     */
    static Properties restore(Checkpoint c, String fingerprint, Object config, Object defaults,
                              java.util.Set<String> excluded, String phase, PolicyModel policy, AdamOptimizer optimizer) {
        requireSameConfig(c, fingerprint, config, defaults, excluded, policy);
        Properties state = readState(c);
        String saved = require(state, "phase", c);
        if (!phase.equals(saved)) {
            throw new CheckpointException("checkpoint " + c.directory() + " is from phase '" + saved + "', not '" + phase
                    + "'; fix: resume it with the matching trainer");
        }
        restoreWeights(c, MODEL, policy.parameters());
        restoreOptimizer(c, optimizer, state);
        return state;
    }

    /**
     * Checks the checkpoint's fingerprint; when it differs and the checkpoint holds its {@value #CONFIG}, the
     * error names the fields that differ.
     *
     * <p>A checkpoint written before a config field existed is accepted when that field is at its default now
     * ({@code defaults}: the config type's defaults) and everything else matches: the saved config must then
     * reproduce the checkpoint's own fingerprint (same fields, same model shape). Our choice: a new field's default
     * keeps the behaviour of the code that did not have it, so such a checkpoint resumes the run it was part of; a
     * field set to another value is refused like any other difference.
     */
    static void requireSameConfig(Checkpoint c, String fingerprint, Object config, Object defaults,
                                  java.util.Set<String> excluded, PolicyModel policy) {
        if (c.configFingerprint().equals(fingerprint) || !Files.isRegularFile(c.file(CONFIG))) {
            c.requireFingerprint(fingerprint);
            return;
        }
        java.util.List<String> diff;
        try {
            com.fasterxml.jackson.databind.node.ObjectNode saved = ConfigJson.parse(
                    Files.readString(c.file(CONFIG), StandardCharsets.UTF_8), c.file(CONFIG).toString());
            com.fasterxml.jackson.databind.node.ObjectNode now = ConfigJson.tree(config);
            saved.remove(excluded);
            now.remove(excluded);
            diff = ConfigJson.differences(saved, now);
            if (!diff.isEmpty() && onlyNewFieldsAtDefaults(diff, saved, now, ConfigJson.tree(defaults))
                    && ConfigJson.fingerprint(saved, shape(policy)).equals(c.configFingerprint())) {
                LOG.info("checkpoint {} predates the config fields {}; they are at their defaults, so it resumes",
                        c.directory(), diff);
                return;
            }
        } catch (IOException | IllegalArgumentException e) {
            c.requireFingerprint(fingerprint);
            return;
        }
        throw new CheckpointException("checkpoint " + c.directory() + " was written with another config"
                + (diff.isEmpty() ? " (same fields, another model shape)" : ": " + String.join(", ", diff) + " differ")
                + "; fix: resume with the checkpoint's config (" + c.file(CONFIG) + ") or start a new run in another"
                + " directory");
    }

    /** True when every differing path is absent from the saved config and at its default value now. */
    private static boolean onlyNewFieldsAtDefaults(java.util.List<String> diff, com.fasterxml.jackson.databind.JsonNode saved,
                                                   com.fasterxml.jackson.databind.JsonNode now,
                                                   com.fasterxml.jackson.databind.JsonNode defaults) {
        for (String path : diff) {
            com.fasterxml.jackson.databind.JsonNode value = ConfigJson.at(now, path);
            if (ConfigJson.at(saved, path) != null || value == null || !value.equals(ConfigJson.at(defaults, path))) {
                return false;
            }
        }
        return true;
    }

    /**
     * SHA-256 (hex) of the config's canonical JSON without the {@code excluded} fields
     * ({@link ConfigJson#fingerprint}) and of the model's shape: vocabulary, T, data type and every trainable
     * variable's name and shape.
     */
    static String fingerprint(Object config, java.util.Set<String> excluded, PolicyModel policy) {
        return ConfigJson.fingerprint(config, excluded, shape(policy));
    }

    /** The model's part of the fingerprint: vocabulary, T, data type and every trainable variable's name and shape. */
    static String shape(PolicyModel policy) {
        StringBuilder sb = new StringBuilder();
        sb.append("model:V=").append(policy.vocabSize()).append(",T=").append(policy.maxLength()).append(",dtype=")
                .append(policy.dataType());
        policy.parameters().forEach((name, a) -> sb.append(',').append(name).append(Arrays.toString(a.shape())));
        return sb.toString();
    }
}
