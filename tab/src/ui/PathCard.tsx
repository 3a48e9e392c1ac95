import {
  Avatar,
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { IntroPath, IntroTargetRef } from './api-types.js';
import type { ApiClient } from './api-client.js';
import { errorText } from './ErrorNotice.js';
import { StrengthBadge } from './StrengthBadge.js';

const useStyles = makeStyles({
  card: { width: '100%', boxSizing: 'border-box' },
  explanation: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  sent: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

type RequestState =
  | { step: 'idle' }
  | { step: 'writing' }
  | { step: 'sending' }
  | { step: 'sent' }
  | { step: 'failed'; message: string };

/** One introduction path: who, how strong, why, and the button to ask them. */
export function PathCard({
  path,
  target,
  api,
  headingLevel = 3,
}: {
  path: IntroPath;
  target: IntroTargetRef;
  api: ApiClient;
  headingLevel?: 2 | 3 | 4;
}) {
  const styles = useStyles();
  const [request, setRequest] = useState<RequestState>({ step: 'idle' });
  const [note, setNote] = useState('');
  const noteId = useId();
  const Heading = `h${headingLevel}` as const;
  const name = path.isCaller ? `You (${path.connector.displayName})` : path.connector.displayName;

  async function send(): Promise<void> {
    setRequest({ step: 'sending' });
    try {
      await api.requestIntro({
        connectorId: path.connector.id,
        target,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setRequest({ step: 'sent' });
    } catch (error) {
      setRequest({ step: 'failed', message: errorText(error) });
    }
  }

  return (
    <Card className={styles.card} data-testid="path-card" aria-label={`Path through ${name}`}>
      <CardHeader
        image={<Avatar name={path.connector.displayName} size={32} aria-hidden />}
        header={
          <Heading style={{ margin: 0, fontSize: 'inherit' }}>
            <Text weight="semibold" data-testid="connector-name">
              {name}
            </Text>
          </Heading>
        }
        description={
          <Caption1>
            {path.hops === 2 && path.via ? `through ${path.via.displayName}` : path.connector.email}
          </Caption1>
        }
        action={<StrengthBadge strength={path.strength} label={path.label} />}
      />
      <Text as="p" size={200} className={styles.explanation}>
        {path.explanation}
      </Text>
      {!path.isCaller && (
        <div className={styles.actions}>
          {request.step === 'idle' && (
            <Button appearance="primary" onClick={() => setRequest({ step: 'writing' })}>
              Ask for an intro
            </Button>
          )}
          {(request.step === 'writing' || request.step === 'sending') && (
            <>
              <Field label={`Note to ${path.connector.displayName} (optional)`}>
                <Textarea
                  id={noteId}
                  value={note}
                  maxLength={500}
                  onChange={(_event, data) => setNote(data.value)}
                />
              </Field>
              <Button
                appearance="primary"
                disabled={request.step === 'sending'}
                onClick={() => void send()}
              >
                {request.step === 'sending'
                  ? 'Sending…'
                  : `Send request to ${path.connector.displayName}`}
              </Button>
            </>
          )}
          {request.step === 'sent' && (
            <Text role="status" className={styles.sent}>
              Request sent. {path.connector.displayName} is told in Teams.
            </Text>
          )}
          {request.step === 'failed' && (
            <>
              <Text role="alert" className={styles.failed}>
                {request.message}
              </Text>
              <Button onClick={() => void send()}>Try again</Button>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
