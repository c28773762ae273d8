package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code TransformerPass.mmAccumulate} ({@code c += a · b}, the KV-cache decoding step's residual adds) against a sum
 * computed element by element in double precision: operands in either order and as transposed views, an accumulator
 * that is a block of rows of a larger matrix (the rows around it untouched), and the accumulators it must refuse.
 */
class MatrixAccumulateTest {

    /** Layouts of the operands: c or f order, or t, a transposed view of a c-ordered transpose (non-default strides). */
    @ParameterizedTest
    @CsvSource({"1, 5, 3, c, c", "4, 7, 5, f, c", "3, 2, 6, c, f", "6, 4, 4, f, f", "3, 4, 2, t, t", "2, 3, 5, t, c"})
    void addsTheProductIntoTheAccumulator(int m, int k, int n, char layoutA, char layoutB) {
        Random r = new Random(31L * m + 7L * k + n);
        double[][] a = random(r, m, k);
        double[][] b = random(r, k, n);
        double[][] c = random(r, m, n);
        INDArray acc = Nd4j.create(c);
        TransformerPass.mmAccumulate(operand(a, layoutA), operand(b, layoutB), acc);
        assertClose(expected(a, b, c), acc, 1e-12);
    }

    @Test
    void aBlockOfRowsAccumulatesAndTheOtherRowsStay() {
        Random r = new Random(5);
        double[][] big = random(r, 5, 3);
        double[][] a = random(r, 2, 4);
        double[][] b = random(r, 4, 3);
        INDArray whole = Nd4j.create(big);
        INDArray block = whole.get(interval(1, 3), all());
        TransformerPass.mmAccumulate(Nd4j.create(a), Nd4j.create(b), block);
        double[][] want = new double[5][];
        for (int i = 0; i < 5; i++) {
            want[i] = big[i].clone();
        }
        double[][] sum = expected(a, b, new double[][] {big[1], big[2]});
        want[1] = sum[0];
        want[2] = sum[1];
        assertClose(want, whole, 1e-12);
    }

    @Test
    void refusesAccumulatorsThatAreNotPlainCOrderedMatrices() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 4, 2);
        INDArray fOrder = Nd4j.create(DataType.DOUBLE, new long[] {3, 2}, 'f');
        INDArray column = Nd4j.rand(DataType.DOUBLE, 3, 4).get(all(), interval(1, 3));     // strides [4, 1]
        INDArray rank3 = Nd4j.create(DataType.DOUBLE, 1, 3, 2);
        for (INDArray c : new INDArray[] {fOrder, column, rank3}) {
            INDArray before = c.dup();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TransformerPass.mmAccumulate(a, b, c), c.shapeInfoToString());
            assertTrue(e.getMessage().contains("c-ordered matrix with default strides"), e.getMessage());
            assertEquals(before, c, "a refused accumulator is left as it was");
        }
    }

    @Test
    void refusesOperandsWhoseShapesOrTypesDoNotMatch() {
        INDArray c = Nd4j.zeros(DataType.DOUBLE, 2, 4);
        INDArray[][] bad = {
            {Nd4j.rand(DataType.DOUBLE, 2, 3), Nd4j.rand(DataType.DOUBLE, 4, 4)},                  // inner sizes differ
            {Nd4j.rand(DataType.DOUBLE, 3, 3), Nd4j.rand(DataType.DOUBLE, 3, 4)},                  // rows of c differ
            {Nd4j.rand(DataType.DOUBLE, 2, 3), Nd4j.rand(DataType.DOUBLE, 3, 5)},                  // columns of c differ
            {Nd4j.rand(DataType.FLOAT, 2, 3), Nd4j.rand(DataType.DOUBLE, 3, 4)},                   // a is float
            {Nd4j.rand(DataType.DOUBLE, 1, 2, 3), Nd4j.rand(DataType.DOUBLE, 3, 4)},               // a of rank 3
        };
        for (INDArray[] ab : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TransformerPass.mmAccumulate(ab[0], ab[1], c));
            assertTrue(e.getMessage().contains("a [m, k], b [k, n], c [m, n]") && e.getMessage().contains("c [2, 4] DOUBLE"),
                    e.getMessage());
        }
        assertEquals(0.0, c.sumNumber().doubleValue(), 0.0, "nothing was written");
    }

    private static INDArray operand(double[][] x, char layout) {
        INDArray plain = Nd4j.create(x);
        return layout == 't' ? plain.transpose().dup('c').transpose() : plain.dup(layout);
    }

    private static double[][] random(Random r, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] expected(double[][] a, double[][] b, double[][] c) {
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                for (int p = 0; p < b.length; p++) {
                    out[i][j] += a[i][p] * b[p][j];
                }
            }
        }
        return out;
    }

    private static void assertClose(double[][] want, INDArray got, double tol) {
        assertEquals(want.length, got.rows());
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got.getDouble(i, j), tol, "[" + i + ", " + j + "]");
            }
        }
    }
}
