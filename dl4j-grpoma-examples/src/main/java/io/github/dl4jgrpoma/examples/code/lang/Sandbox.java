package io.github.dl4jgrpoma.examples.code.lang;

/**
 * Parses and runs programs of the project's small expression language under {@link SandboxLimits}, for
 * model-written code. The interpreter works on its own syntax tree and values only: no reflection, no class
 * loading, no IO, no host objects; the only outside state it reads is the clock and the thread's interrupt
 * flag. Every failure comes back as a {@link RunResult} with a {@link FailureCause}; no exception or error
 * leaves {@link #parse} or {@link #run} (a {@link StackOverflowError} that the depth limits should prevent
 * is still caught and reported as DEPTH).
 *
 * <h2>Grammar</h2>
 * <pre>
 * expr    := 'let' NAME '=' expr 'in' expr          -- a lambda bound by let may call itself
 *          | 'if' expr 'then' expr 'else' expr      -- condition: integer, 0 is false
 *          | '\' NAME (',' NAME)* '-&gt;' expr      -- lambda
 *          | sum (('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;=') sum)?   -- 1 or 0
 * sum     := product (('+'|'-') product)*
 * product := unary (('*'|'/'|'%') unary)*         -- floor division and remainder
 * unary   := '-' unary | postfix
 * postfix := atom ('(' (expr (',' expr)*)? ')')*    -- call
 * atom    := INT | NAME | '(' expr ')' | '[' (expr (',' expr)*)? ']'
 * NAME    := [A-Za-z_][A-Za-z0-9_]*  except let in if then else;   INT := [0-9]+
 * </pre>
 * Built-ins (names can be shadowed): {@code map(f,xs) filter(p,xs) fold(f,init,xs)} (left fold,
 * {@code f(acc,x)}), {@code until(p,f,x)} (apply f until p holds), {@code len sum rev head tail cons(x,xs)
 * append(xs,ys) range(a,b)} (a..b-1) {@code take(n,xs) drop(n,xs) min max abs}. The input is bound to
 * {@code x}. Example: {@code map(\a->a*2+1,filter(\a->a%2==0,x))}. Details: docs/CODE-LANGUAGE.md.
 *
 * <p>Thread-safe and immutable; each run has its own fuel, depth counter and deadline.
 */
public final class Sandbox {
    /** The name the input value is bound to. */
    public static final String INPUT = "x";

    private final SandboxLimits limits;

    /** @param limits the per-run limits */
    public Sandbox(SandboxLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits is null; fix: use SandboxLimits.defaults()");
        }
        this.limits = limits;
    }

    /** The limits. */
    public SandboxLimits limits() {
        return limits;
    }

    /** Parses {@code source}; a null or too long text, a syntax error or too deep nesting gives a failed program. */
    public Program parse(String source) {
        if (source == null) {
            return Program.failed("", RunResult.failed(FailureCause.PARSE, "no program text", 0));
        }
        if (source.length() > limits.maxProgramChars()) {
            return Program.failed(source, RunResult.failed(FailureCause.SIZE, "program of " + source.length()
                    + " characters is longer than the limit " + limits.maxProgramChars(), 0));
        }
        try {
            return Program.parsed(source, Parser.parse(source, limits.maxDepth()));
        } catch (SandboxFailure f) {
            return Program.failed(source, RunResult.failed(f.failureCause(), f.getMessage(), 0));
        } catch (StackOverflowError e) {
            return Program.failed(source, RunResult.failed(FailureCause.DEPTH, "program nests too deep for the stack", 0));
        }
    }

    /**
     * Runs {@code program} with {@code input} bound to {@value #INPUT}.
     *
     * @return the value, or the failure (the parse failure for a program that did not parse)
     */
    public RunResult run(Program program, Value input) {
        if (!program.parsed()) {
            return program.parseFailure();
        }
        Interpreter in = new Interpreter(limits, System.nanoTime());
        try {
            Env env = input == null ? null : new Env(INPUT, input, null);
            return RunResult.ok(in.eval(program.root(), env), in.steps());
        } catch (SandboxFailure f) {
            return RunResult.failed(f.failureCause(), f.getMessage(), in.steps());
        } catch (StackOverflowError e) {
            return RunResult.failed(FailureCause.DEPTH, "evaluation nests too deep for the stack", in.steps());
        } catch (RuntimeException e) {
            return RunResult.failed(FailureCause.RUNTIME, "internal error: " + e, in.steps());
        }
    }

    /** Parses and runs {@code source} on {@code input}. */
    public RunResult run(String source, Value input) {
        return run(parse(source), input);
    }
}
