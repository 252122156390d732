/** The LoRA training queue: one job per training run; the handler runs the trainer through LearningService. */
import type { QueueDefinition } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import { LearningService, TRAIN_QUEUE } from './service.ts';

export function trainingQueue(
  platform: Pick<Platform, 'config'>,
): QueueDefinition<{ trainingJobId: string }> {
  return {
    name: TRAIN_QUEUE,
    retry: { limit: 2, delaySeconds: 60, backoff: true },
    expireInSeconds: Math.min(86_400, Math.ceil(platform.config.learning.trainerTimeoutMs / 1000) + 300),
    batchSize: 1,
    async handle(data) {
      const service = LearningService.of(platform as Platform);
      if (!service) throw new Error('learning service is not started in this process yet');
      await service.runTrainingJob(data.trainingJobId);
    },
  };
}

export function learningQueues(platform: Pick<Platform, 'config'>): QueueDefinition<never>[] {
  return [trainingQueue(platform) as QueueDefinition<never>];
}
