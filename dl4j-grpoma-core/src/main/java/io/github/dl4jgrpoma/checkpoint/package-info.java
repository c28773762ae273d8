/**
 * Crash-safe checkpoint storage, independent of what is stored.
 *
 * <p>{@link io.github.dl4jgrpoma.checkpoint.AtomicFiles} writes a single file so that a crash at any moment
 * leaves either the old or the new version: write a temporary file in the same directory, fsync it,
 * rename it over the target with {@code ATOMIC_MOVE}, fsync the directory.
 *
 * <p>{@link io.github.dl4jgrpoma.checkpoint.CheckpointStore} keeps a directory of checkpoint directories
 * {@code step-000123/}. A checkpoint is assembled in a hidden temporary directory by a caller-supplied
 * writer, gets a {@link io.github.dl4jgrpoma.checkpoint.CheckpointManifest} (format version, step, config
 * fingerprint, size and SHA-256 of every payload file) and is published by one atomic directory rename.
 * {@link io.github.dl4jgrpoma.checkpoint.CheckpointStore#latest()} returns the newest checkpoint that
 * verifies, skipping incomplete or corrupt ones with a WARN. The payloads themselves (model, optimiser
 * state, RNG state, config) are written by the trainer.
 */
package io.github.dl4jgrpoma.checkpoint;
