// Checkpoint/restart arithmetic, checked against timelines drawn by hand.
// Policy: compute 60 s, write 10 s, restart 5 s; rate 2 units/s.
#include <gtest/gtest.h>

#include "sim/engine/execution.hpp"

using gwsim::sim::advance;
using gwsim::sim::CheckpointPolicy;
using gwsim::sim::ExecState;
using gwsim::sim::lose_uncheckpointed;
using gwsim::sim::time_to_complete;

namespace {
const CheckpointPolicy P{60, 10, 5};
}

TEST(Execution, ProgressWithinTheFirstInterval) {
  const ExecState s = advance({}, P, 2, 30);
  EXPECT_DOUBLE_EQ(s.work_done, 60);
  EXPECT_DOUBLE_EQ(s.checkpointed, 0);
  EXPECT_DOUBLE_EQ(s.phase_s, 30);
}

TEST(Execution, NoProgressWhileWritingAndTheCheckpointCountsOnlyWhenWritten) {
  ExecState s = advance({}, P, 2, 65);  // 60 s compute, 5 s into the write
  EXPECT_DOUBLE_EQ(s.work_done, 120);
  EXPECT_DOUBLE_EQ(s.checkpointed, 0);
  EXPECT_DOUBLE_EQ(s.write_left_s, 5);
  s = advance(s, P, 2, 5);  // the write completes
  EXPECT_DOUBLE_EQ(s.checkpointed, 120);
  EXPECT_DOUBLE_EQ(s.work_done, 120);
}

TEST(Execution, WholeCyclesInOneStepEqualManySmallSteps) {
  // 3 full cycles (210 s) + 20 s: work 3*60*2 + 20*2 = 400, checkpointed 360.
  const ExecState big = advance({}, P, 2, 230);
  EXPECT_DOUBLE_EQ(big.work_done, 400);
  EXPECT_DOUBLE_EQ(big.checkpointed, 360);
  ExecState small;
  for (int i = 0; i < 23; ++i) small = advance(small, P, 2, 10);
  EXPECT_NEAR(small.work_done, big.work_done, 1e-9);
  EXPECT_NEAR(small.checkpointed, big.checkpointed, 1e-9);
}

TEST(Execution, TimeToCompleteCountsTheWritesOnTheWay) {
  // 300 units at 2/s = 150 s of compute: writes after 60 s and 120 s, none at the end.
  EXPECT_DOUBLE_EQ(time_to_complete({}, P, 2, 300), 150 + 2 * 10);
  // Exactly one interval of work: no write needed.
  EXPECT_DOUBLE_EQ(time_to_complete({}, P, 2, 120), 60);
  // And advancing by that time finishes the work.
  EXPECT_NEAR(advance({}, P, 2, 170).work_done, 300, 1e-9);
}

TEST(Execution, PreemptionLosesWorkSinceTheLastCheckpointAndPaysARestart) {
  ExecState s = advance({}, P, 2, 100);  // checkpoint at 70 s holds 120; 30 s more compute: 60 uncheckpointed
  EXPECT_DOUBLE_EQ(lose_uncheckpointed(s, P), 60);
  EXPECT_DOUBLE_EQ(s.work_done, 120);
  EXPECT_DOUBLE_EQ(s.restart_left_s, 5);
  // Restart: 5 s overhead, then the remaining 180 units = 90 s with one write after 60 s.
  EXPECT_DOUBLE_EQ(time_to_complete(s, P, 2, 300), 5 + 90 + 10);
}

TEST(Execution, WithoutCheckpointsARestartStartsOver) {
  const CheckpointPolicy none{0, 0, 0};
  ExecState s = advance({}, none, 1, 500);
  EXPECT_DOUBLE_EQ(lose_uncheckpointed(s, none), 500);
  EXPECT_DOUBLE_EQ(s.work_done, 0);
}
