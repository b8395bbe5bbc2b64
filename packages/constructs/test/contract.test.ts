import { FAN_OUT_CONTRACT } from '@ffc/functions';
import { ALL_SERVICES, CHANGE_PUBLISHED, TARGET_SERVICES_ATTRIBUTE } from '../src';

/** The handlers and the infrastructure agree on names they each hard-wire; a rename on one side fails here. */
describe('the contract between the handlers and the constructs', () => {
  test('the validator sets the attribute the subscription filters read, with the same all-services value', () => {
    expect(FAN_OUT_CONTRACT.targetServicesAttribute).toBe(TARGET_SERVICES_ATTRIBUTE);
    expect(ALL_SERVICES).toBe('*');
  });
  test('the validator announces changes with the source and detail type the verification rule matches', () => {
    expect({ source: FAN_OUT_CONTRACT.eventSource, detailType: FAN_OUT_CONTRACT.eventDetailType }).toEqual(
      CHANGE_PUBLISHED,
    );
  });
});
