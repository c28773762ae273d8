package io.github.dl4jgrpoma.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DAPO's soft overlong penalty on hand-computed lengths: L_max 10, L_cache 4, so the penalty starts after 6 tokens. */
class OverlongPenaltyRewardTest {
    private final OverlongPenaltyReward r = new OverlongPenaltyReward("overlong", 10, 4);

    @Test
    void zeroUpToTheBufferThenLinearToMinusOneAtTheCapAndBeyond() {
        assertEquals(0.0, r.penalty(0));
        assertEquals(0.0, r.penalty(6));
        assertEquals(-0.25, r.penalty(7));
        assertEquals(-0.75, r.penalty(9));
        assertEquals(-1.0, r.penalty(10));
        assertEquals(-1.0, r.penalty(25));
    }

    @Test
    void theResponseIsTheThoughtPlusTheAnswer() {
        RewardContext ctx = RewardContext.builder().thought("abcde", 1, 2, 3, 4, 5).answer("xy", 6, 7).build();
        assertEquals(-0.25, r.score(ctx), "5 + 2 = 7 tokens");
        assertEquals(0.0, r.score(RewardContext.builder().thought("ab", 1, 2).answer("x", 3).build()));
        CompositeReward total = CompositeReward.builder().add(RewardFunction.of("one", c -> 1.0), 1.0).add(r, 1.0).build();
        assertEquals(0.75, total.score(ctx), 1e-15);
    }

    @Test
    void badLengthsNameTheValueAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OverlongPenaltyReward("o", 8, 9));
        assertTrue(e.getMessage().contains("cacheLength = 9") && e.getMessage().contains("1..8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OverlongPenaltyReward("o", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OverlongPenaltyReward("o", 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new OverlongPenaltyReward("a/b", 8, 2));
    }
}
