import { expectTypingSuccess, useWahaUnit } from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Chat › typing', () => {
	it.each(['startTyping'])(
		'%s outputs success for WAHA’s empty 201, never an empty json',
		expectTypingSuccess,
	);
});
