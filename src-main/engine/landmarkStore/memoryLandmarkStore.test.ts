// Runs the shared LandmarkStore contract against the in-memory store.
import { describeLandmarkStoreContract } from './testing/landmarkStoreContract.js';
import { createMemoryLandmarkStore } from './memoryLandmarkStore.js';

describeLandmarkStoreContract('memory', async () => createMemoryLandmarkStore());
