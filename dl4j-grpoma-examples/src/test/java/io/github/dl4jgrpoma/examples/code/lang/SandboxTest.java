package io.github.dl4jgrpoma.examples.code.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxTest {
    private final Sandbox sandbox = new Sandbox(SandboxLimits.defaults());

    private String run(String src, Value input) {
        RunResult r = sandbox.run(src, input);
        return r.ok() ? r.value().toString() : r.failure().name();
    }

    @ParameterizedTest(name = "{0} on {1} = {2}")
    @CsvSource(delimiter = ';', value = {
        "map(\\a->a*2,x); [1,2,3]; [2,4,6]",
        "filter(\\a->a%2==0,x); [1,2,3,4]; [2,4]",
        "fold(\\s,a->s+a,0,x); [1,2,3,4]; 10",
        "fold(\\s,a->s*a,1,x); [1,2,3,4]; 24",
        "rev(x); [1,2,3]; [3,2,1]",
        "cons(len(x),tail(x)); [7,8,9]; [3,8,9]",
        "append(take(1,x),drop(2,x)); [7,8,9]; [7,9]",
        "range(2,5); 0; [2,3,4]",
        "map(\\a->max(a,0)-min(a,0),x); [-3,4]; [3,4]",
        "abs(x)*-1; 5; -5",
        "if x<0 then 0-x else x; -7; 7",
        "let y = x*x in y+1; 6; 37",
        "let f = \\n->if n<2 then 1 else n*f(n-1) in f(x); 10; 3628800",
        "until(\\s->s>100,\\s->s*2,x); 3; 192",
        "-7/2; 0; -4",
        "-7%3; 0; 2",
        "(x+1)*(x-1)==x*x-1; 9; 1",
        "[x,[x]]; 1; [1,[1]]",
        "head([]); 0; RUNTIME",
        "x/0; 1; RUNTIME",
        "y; 1; RUNTIME",
        "x(1); 1; RUNTIME",
        "map(\\a->a,x); 1; RUNTIME",
        "map(\\a,b->a,x); [1]; RUNTIME",
        "1 +; 0; PARSE",
        "let = 3 in 1; 0; PARSE",
        "\\a,a->a; 0; PARSE",
        "1 $ 2; 0; PARSE",
        "9223372036854775807+1; 0; SIZE",
        "99999999999999999999; 0; SIZE",
        "-9223372036854775808; 0; -9223372036854775808",
        "-9223372036854775808/-1; 0; SIZE",
        "range(0,1000000000000); 0; SIZE",
        "until(\\s->0,\\s->s,0); 0; FUEL",
        "let f = \\n->f(n+1) in f(0); 0; DEPTH",
        "until(\\s->0,\\s->[s],0); 0; SIZE",
    })
    void evaluates(String src, String input, String expected) {
        Value in = input.startsWith("[") ? parseList(input) : Value.of(Long.parseLong(input));
        assertEquals(expected, run(src, in));
    }

    private static Value parseList(String s) {
        String body = s.substring(1, s.length() - 1).trim();
        if (body.isEmpty()) {
            return Value.ofInts();
        }
        String[] parts = body.split(",");
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Long.parseLong(parts[i].trim());
        }
        return Value.ofInts(v);
    }

    @Test
    void hundredThousandDeepNestingIsATypedFailureNotAStackOverflow() {
        Sandbox big = new Sandbox(SandboxLimits.defaults().withMaxProgramChars(2_000_000));
        int n = 100_000;
        String parens = "(".repeat(n) + "1" + ")".repeat(n);
        String minus = "-".repeat(n) + "1";
        String lets = "let a = ".repeat(n) + "1" + " in a".repeat(n);
        String lambdas = "\\a->".repeat(n) + "1";
        String lists = "[".repeat(n) + "]".repeat(n);
        for (String src : new String[] {parens, minus, lets, lambdas, lists}) {
            assertEquals(FailureCause.DEPTH, big.run(src, Value.of(0)).failure(), src.substring(0, 20));
        }
        String chain = "1" + "+1".repeat(n);
        assertEquals(FailureCause.DEPTH, big.run(chain, Value.of(0)).failure(), "a left-deep chain nests the tree too");
        String calls = "abs" + "(1)".repeat(n);
        assertEquals(FailureCause.DEPTH, big.run(calls, Value.of(0)).failure());
        assertEquals(FailureCause.SIZE, sandbox.run(parens, Value.of(0)).failure(), "default limit: too long");
    }

    @Test
    void stackOverflowIsCaughtEvenWhenTheDepthLimitIsSetTooHighForTheStack() throws Exception {
        Sandbox deep = new Sandbox(SandboxLimits.defaults().withMaxDepth(4096).withFuel(10_000_000)
                .withTimeout(Duration.ofSeconds(10)));
        RunResult[] out = new RunResult[1];
        Thread t = new Thread(null, () -> out[0] = deep.run("let f = \\n->f(n+1)+1 in f(0)", Value.of(0)),
                "small-stack", 64 * 1024);
        t.start();
        t.join();
        assertEquals(FailureCause.DEPTH, out[0].failure(), out[0].toString());
    }

    @Test
    void infiniteLoopStopsAtTheWallClockLimit() {
        Duration limit = Duration.ofMillis(150);
        Sandbox s = new Sandbox(SandboxLimits.defaults().withFuel(Long.MAX_VALUE).withTimeout(limit));
        long t0 = System.nanoTime();
        RunResult r = s.run("until(\\s->0,\\s->s+1-1,0)", Value.of(0));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(FailureCause.TIMEOUT, r.failure());
        assertTrue(r.steps() > 1000, "it did run: " + r.steps());
        // the check runs every 1,024 steps (microseconds); allow scheduling noise on a loaded machine
        assertTrue(ms < limit.toMillis() + 500, "stopped after " + ms + " ms for a " + limit.toMillis() + " ms limit");
    }

    @Test
    void exponentialBlowUpIsBoundedByFuelOrSize() {
        RunResult doubling = sandbox.run("until(\\s->len(s)>100000,\\s->append(s,s),[1])", Value.of(0));
        assertEquals(FailureCause.SIZE, doubling.failure());
        RunResult tree = sandbox.run("let f = \\n->if n==0 then 1 else f(n-1)+f(n-1) in f(60)", Value.of(0));
        assertEquals(FailureCause.FUEL, tree.failure());
    }

    @Test
    void parsedProgramsRunRepeatablyAndUnparsedOnesReportWhy() {
        Program p = sandbox.parse("map(\\a->a+x0,x)");
        assertTrue(p.parsed());
        assertEquals(FailureCause.RUNTIME, sandbox.run(p, Value.ofInts(1)).failure());
        Program q = sandbox.parse(null);
        assertFalse(q.parsed());
        assertEquals(FailureCause.PARSE, sandbox.run(q, Value.of(1)).failure());
        Program ok = sandbox.parse("sum(map(\\a->a*a,x))");
        assertEquals(sandbox.run(ok, Value.ofInts(1, 2, 3)), sandbox.run(ok, Value.ofInts(1, 2, 3)));
        assertEquals("14", sandbox.run(ok, Value.ofInts(1, 2, 3)).value().toString());
    }
}
