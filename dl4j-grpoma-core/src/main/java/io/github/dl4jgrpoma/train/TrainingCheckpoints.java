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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.checkpoint.Checkpoint;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
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
 *   <li>{@value #REFERENCE} (only with a KL penalty): the frozen reference graph.</li>
 * </ul>
 * There is no RNG state to save: every random draw of step {@code s} is seeded from {@code (seed, s)}, so
 * the completed step count is the RNG state.
 */
final class TrainingCheckpoints {
    static final String MODEL = "model.sd";
    static final String OPTIMIZER = "optimizer.bin";
    static final String STATE = "state.properties";
    static final String REFERENCE = "reference.sd";

    private TrainingCheckpoints() {
    }

    /** Writes the payload into {@code dir}. */
    static void write(Path dir, PolicyModel policy, AdamOptimizer optimizer, Properties state, SameDiff reference)
            throws IOException {
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
    static Properties restore(Checkpoint c, String fingerprint, String phase, PolicyModel policy, AdamOptimizer optimizer) {
        c.requireFingerprint(fingerprint);
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
     * SHA-256 (hex) of the config text and the model's shape: vocabulary, T, data type and every trainable
     * variable's name and shape.
     */
    static String fingerprint(String configText, PolicyModel policy) {
        StringBuilder sb = new StringBuilder(configText);
        sb.append("|model:V=").append(policy.vocabSize()).append(",T=").append(policy.maxLength()).append(",dtype=")
                .append(policy.dataType());
        policy.parameters().forEach((name, a) -> sb.append(',').append(name).append(Arrays.toString(a.shape())));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
