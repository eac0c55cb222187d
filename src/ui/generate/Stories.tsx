import { vocabularyOf } from '../../state/modelVocabulary';
import { useAppStore } from '../../state/store';
import { STORIES, storyOf } from './stories';

/**
 * One click sets a story's configuration and runs it; the story on screen is pressed. Its
 * sentence on what to watch heads the stage (StageHeading).
 */
export function Stories() {
  const manifest = useAppStore((s) => s.manifest);
  const config = useAppStore((s) => s.config);
  const setConfig = useAppStore((s) => s.setConfig);
  const generate = useAppStore((s) => s.generate);
  const vocab = manifest ? vocabularyOf(manifest) : null;
  const current = storyOf(config);
  const shown = vocab ? STORIES.filter((s) => s.available(vocab, manifest!.seqLen)) : STORIES;
  return (
    <div className="stories" role="group" aria-label="Stories">
      {shown.map((story) => (
        <button
          key={story.id}
          type="button"
          aria-pressed={current?.id === story.id}
          title={story.watch}
          disabled={!vocab}
          onClick={() => {
            setConfig(story.config(useAppStore.getState().config));
            void generate();
          }}
        >
          {story.title}
        </button>
      ))}
    </div>
  );
}
