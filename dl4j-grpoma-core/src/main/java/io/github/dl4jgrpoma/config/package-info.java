/**
 * Run configurations as files: {@link io.github.dl4jgrpoma.config.ConfigJson} writes and reads the immutable
 * config records ({@code GrpoMaConfig}, {@code SftConfig} and everything nested in them) as readable JSON with
 * Jackson, merges partial files over defaults, reports bad files by field, value and fix, and derives checkpoint
 * fingerprints from a config's content (canonical JSON minus an explicit list of excluded fields), so that no
 * field can be left out of the fingerprint by accident.
 */
package io.github.dl4jgrpoma.config;
