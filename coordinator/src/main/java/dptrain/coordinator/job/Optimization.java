package dptrain.coordinator.job;

import dptrain.coordinator.lr.LrScheduleSpec;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.Precision;

/** How a job optimizes: the method, its learning-rate schedule, penalties and gradient handling, and the precision. */
public record Optimization(OptimizerSpec optimizer, LrScheduleSpec schedule, Regularization regularization,
    Precision precision) {}
