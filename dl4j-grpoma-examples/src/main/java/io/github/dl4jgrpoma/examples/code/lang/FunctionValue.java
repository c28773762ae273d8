package io.github.dl4jgrpoma.examples.code.lang;

import java.util.List;

/**
 * A function value: a built-in ({@code builtin != null}) or a lambda closing over its environment.
 * Package-private: functions exist only inside a run.
 */
final class FunctionValue implements Value {
    final Builtin builtin;
    final List<String> params;
    final Node body;
    Env env;

    private FunctionValue(Builtin builtin, List<String> params, Node body, Env env) {
        this.builtin = builtin;
        this.params = params;
        this.body = body;
        this.env = env;
    }

    static FunctionValue builtin(Builtin b) {
        return new FunctionValue(b, List.of(), null, null);
    }

    static FunctionValue lambda(List<String> params, Node body, Env env) {
        return new FunctionValue(null, params, body, env);
    }

    int arity() {
        return builtin != null ? builtin.arity() : params.size();
    }

    @Override
    public String toString() {
        return builtin != null ? "<builtin " + builtin.id() + ">" : "<lambda/" + params.size() + ">";
    }
}
