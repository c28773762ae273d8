package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.rollout.RolloutConfig;

/**
 * Issue 9 item 7: building a trainer with top-k or top-p on logs exactly one WARN saying that the recorded old
 * log-probs are those of the unfiltered temperature distribution; without filtering it logs none.
 */
class FilteringWarningTest {

    private static List<String> warningsWhileBuilding(RolloutConfig rollout) {
        Logger logger = (Logger) LoggerFactory.getLogger(GrpoMaTrainer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                    .reward(CompositeReward.of(Tiny.parityReward()))
                    .config(GrpoMaConfig.builder().rollout(rollout).promptsPerStep(2).steps(1).build()).build();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void topKOrTopPWarnsOnceAtBuildTime() {
        for (RolloutConfig rollout : List.of(Tiny.rollout(2, 2, 2, 2).topK(3).build(),
                Tiny.rollout(2, 2, 2, 2).topP(0.9).build())) {
            List<String> warnings = warningsWhileBuilding(rollout);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("old log-probs") && warnings.get(0).contains("unfiltered")
                    && warnings.get(0).contains("topK = 0 and topP = 1"), warnings.get(0));
            assertEquals(rollout.filteringWarning().orElseThrow(), warnings.get(0));
        }
        assertEquals(List.of(), warningsWhileBuilding(Tiny.rollout(2, 2, 2, 2).build()));
        assertTrue(Tiny.rollout(2, 2, 2, 2).temperature(0.7).build().filteringWarning().isEmpty());
    }
}
