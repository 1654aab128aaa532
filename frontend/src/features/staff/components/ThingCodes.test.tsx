import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { QrDecoderProvider, type QrDecoder } from '../hooks/qr-decoder';
import { ALL_THING_KINDS } from '../utils/codes';
import { ThingCodes } from './ThingCodes';

const EPC = 'https://id.gs1.org/01/09520123456788/21/1001';

function Harness({ decoder, single = false }: { decoder?: Partial<QrDecoder>; single?: boolean }) {
  const [values, setValues] = useState<string[]>([]);
  const codes = (
    <ThingCodes
      legend="Items to hand over"
      inputLabel="Item code"
      kinds={single ? ['unit'] : ALL_THING_KINDS}
      values={values}
      onChange={setValues}
      single={single}
    />
  );
  if (!decoder) return codes;
  const full: QrDecoder = {
    decodeFrame: () => Promise.resolve(null),
    decodeFile: () => Promise.resolve(null),
    openCamera: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
    ...decoder,
  };
  return <QrDecoderProvider decoder={full}>{codes}</QrDecoderProvider>;
}

describe('ThingCodes', () => {
  it('adds a typed Digital Link with a GTIN-13 as its canonical EPC', async () => {
    render(<Harness />);
    await userEvent.type(
      screen.getByLabelText('Item code'),
      'https://example.com/01/9520123456788/21/1001{Enter}',
    );
    const list = screen.getByRole('list', { name: 'Items to hand over: selected' });
    expect(list).toHaveTextContent('Item 09520123456788 · serial 1001');
    expect(list).toHaveTextContent(EPC);
    expect(screen.getByLabelText('Item code')).toHaveValue('');
  });

  it('refuses a code with a wrong check digit and adds nothing', async () => {
    render(<Harness />);
    await userEvent.type(screen.getByLabelText('Item code'), '/01/9520123456789/21/1001');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/check digit 9, expected 8/);
    expect(screen.getByLabelText('Item code')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('lists a code once and removes it on request', async () => {
    render(<Harness />);
    const input = screen.getByLabelText('Item code');
    await userEvent.type(input, `${EPC}{Enter}`);
    await userEvent.type(input, `${EPC}{Enter}`);
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('already in the list');
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove Item 09520123456788 · serial 1001' }),
    );
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('reads the QR code of a photo', async () => {
    const decodeFile = vi.fn(() =>
      Promise.resolve('https://id.gs1.org/01/09520123456788/10/L42/21/1001'),
    );
    render(<Harness decoder={{ decodeFile }} />);
    await userEvent.upload(
      screen.getByLabelText('Scan a photo'),
      new File(['jpeg'], 'label.jpg', { type: 'image/jpeg' }),
    );
    expect(
      await screen.findByRole('list', { name: 'Items to hand over: selected' }),
    ).toHaveTextContent(EPC);
    expect(decodeFile).toHaveBeenCalledTimes(1);
  });

  it('says so when a photo holds no QR code, or a scanned code is not a pallet', async () => {
    const decodeFile = vi
      .fn<QrDecoder['decodeFile']>()
      .mockResolvedValueOnce(null)
      .mockResolvedValueOnce(EPC);
    render(<Harness decoder={{ decodeFile }} single />);
    const photo = new File(['jpeg'], 'label.jpg', { type: 'image/jpeg' });
    await userEvent.upload(screen.getByLabelText('Scan a photo'), photo);
    expect(await screen.findByRole('alert')).toHaveTextContent('No QR code was found');
    await userEvent.upload(screen.getByLabelText('Scan a photo'), photo);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Scanned “${EPC}”. Item 09520123456788 · serial 1001 cannot be used here`,
    );
  });

  it('explains a refused camera and leaves typing available', async () => {
    render(<Harness decoder={{}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Scan with camera' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The camera was not allowed');
    expect(screen.getByLabelText('Item code')).toBeEnabled();
  });

  it('adds what the camera reads', async () => {
    const stream = { getTracks: () => [{ stop: vi.fn() }] } as unknown as MediaStream;
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, 'srcObject', 'set').mockImplementation(() => undefined);
    render(
      <Harness
        decoder={{
          openCamera: () => Promise.resolve(stream),
          decodeFrame: () => Promise.resolve(EPC),
        }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Scan with camera' }));
    expect(
      await screen.findByRole('list', { name: 'Items to hand over: selected' }),
    ).toHaveTextContent(EPC);
  });
});
