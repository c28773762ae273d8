package io.github.dl4jgrpoma.examples.code.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * A value of the program language: a 64-bit integer ({@link Int}), an immutable list of values
 * ({@link Lst}), or a function (built-in or lambda; package-private, it cannot be made outside the sandbox).
 * Values hold no reference to any host object. Comparison results and conditions are integers (0 false,
 * anything else true).
 */
public sealed interface Value permits Value.Int, Value.Lst, FunctionValue {

    /** An integer value. */
    static Value of(long v) {
        return new Int(v);
    }

    /** A list of integers. */
    static Value ofInts(long... items) {
        List<Value> list = new ArrayList<>(items.length);
        for (long v : items) {
            list.add(new Int(v));
        }
        return new Lst(list);
    }

    /** A list of integers. */
    static Value ofInts(List<Long> items) {
        List<Value> list = new ArrayList<>(items.size());
        for (long v : items) {
            list.add(new Int(v));
        }
        return new Lst(list);
    }

    /**
     * A 64-bit signed integer.
     *
     * @param value the number
     */
    record Int(long value) implements Value {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /**
     * An immutable list. Its nesting (1 for a list of integers, 1 + the deepest element list otherwise) is
     * computed once; the sandbox refuses lists nested deeper than {@link SandboxLimits#maxListNesting()}, so
     * {@code equals}, {@code hashCode} and {@code toString} recurse at most that deep.
     */
    final class Lst implements Value {
        private final List<Value> items;
        private final int nesting;

        /** @param items the elements (copied) */
        public Lst(List<Value> items) {
            this.items = List.copyOf(items);
            int deepest = 0;
            for (Value v : this.items) {
                if (v instanceof Lst l) {
                    deepest = Math.max(deepest, l.nesting);
                }
            }
            this.nesting = deepest + 1;
        }

        /** The elements (unmodifiable). */
        public List<Value> items() {
            return items;
        }

        /** Nesting depth: 1 for a flat list. */
        public int nesting() {
            return nesting;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Lst l && l.items.equals(items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(items.get(i));
            }
            return sb.append(']').toString();
        }
    }
}
