/*
|--------------------------------------------------------------------------
| Bouncer abilities
|--------------------------------------------------------------------------
|
| Herald authorizes with policies (app/policies); no standalone abilities
| yet. This module stays because the Bouncer middleware imports it.
|
*/
export {}
