import type { AnswerColumn } from '@parley/contract';

const EXAMPLES = { phone: '+1555•••0101', email: 'a•••@•••.com' } as const;

/** Says exactly what a masked export hides, naming the flow's phone and email answers. */
export function MaskingNote({ masked, columns }: { masked: boolean; columns: AnswerColumn[] }) {
  const personal = columns.filter(
    (column): column is AnswerColumn & { personal: 'phone' | 'email' } => column.personal !== null,
  );
  if (!masked) {
    return (
      <p className="text-xs text-muted-foreground">
        Exports include contacts’ phone numbers, names and every answer as given.
      </p>
    );
  }
  return (
    <p className="text-xs text-muted-foreground" data-testid="masking-note">
      Masked in exports: contact phone numbers ({EXAMPLES.phone}), contact names (A•••)
      {personal.length === 0 ? (
        '. This flow asks for no phone or email answers; other answers are exported as given.'
      ) : (
        <>
          , and the answers{' '}
          {personal.map((column, index) => (
            <span key={column.variable}>
              {index > 0 && (index === personal.length - 1 ? ' and ' : ', ')}
              <strong className="font-medium text-foreground">{column.title}</strong> (
              {EXAMPLES[column.personal]})
            </span>
          ))}
          . Other answers are exported as given.
        </>
      )}
    </p>
  );
}
