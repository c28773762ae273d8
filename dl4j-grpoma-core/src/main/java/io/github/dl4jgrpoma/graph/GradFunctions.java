package io.github.dl4jgrpoma.graph;

import java.io.OutputStream;
import java.io.PrintStream;

import org.nd4j.autodiff.samediff.SameDiff;

/**
 * SameDiff's gradient function without its console noise: {@code SameDiff.createGradFunction()} in
 * 1.0.0-M2.1 prints one {@code "Added differentiated op ..."} line per op straight to {@code System.out}
 * (no logger, so no logging configuration can silence it; a 2-layer transformer prints hundreds).
 */
public final class GradFunctions {
    /** The name SameDiff stores the gradient function under. */
    public static final String GRAD_FN = "grad";

    private GradFunctions() {
    }

    /**
     * Creates the gradient function of {@code sd}'s current loss variables, if it does not exist yet, with
     * {@code System.out} muted meanwhile. Call it before {@code sd.calculateGradients} or
     * {@code calculateGradientsAndOutputs}, which would otherwise create it loudly. Not thread-safe with
     * respect to other code writing to {@code System.out} during the call.
     */
    public static void createQuietly(SameDiff sd) {
        if (sd.getFunction(GRAD_FN) != null) {
            return;
        }
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            sd.createGradFunction();
        } finally {
            System.setOut(original);
        }
    }
}
