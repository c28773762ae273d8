/**
 * What training consumes: RL prompts ({@link io.github.dl4jgrpoma.data.Prompt}, with a stable id, token ids,
 * conditioning arrays such as an image, and task metadata) drawn from a
 * {@link io.github.dl4jgrpoma.data.PromptSource}, and supervised traces ({@link io.github.dl4jgrpoma.data.SftExample})
 * for the warm-up.
 */
package io.github.dl4jgrpoma.data;
