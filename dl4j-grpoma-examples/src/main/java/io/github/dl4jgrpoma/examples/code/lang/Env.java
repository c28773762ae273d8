package io.github.dl4jgrpoma.examples.code.lang;

/** A persistent linked environment frame; lookups walk the chain iteratively. */
final class Env {
    final String name;
    final Value value;
    final Env parent;

    Env(String name, Value value, Env parent) {
        this.name = name;
        this.value = value;
        this.parent = parent;
    }

    /** The innermost binding of {@code key} in {@code env}, or null. */
    static Value lookup(Env env, String key) {
        for (Env e = env; e != null; e = e.parent) {
            if (e.name.equals(key)) {
                return e.value;
            }
        }
        return null;
    }
}
